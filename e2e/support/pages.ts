/** Host pages for the browser tests. */

const attr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export interface WidgetPageOptions {
  /** More data- attributes of the script tag, e.g. `{ 'data-mode': 'inbox' }`. */
  attrs?: Record<string, string>;
  /** The display name the dev token gives the user. */
  name?: string;
  title?: string;
  /** The height of the box the widget fills, in pixels. */
  height?: number;
  /** false: no box and no data-target, the widget opens as its launcher (popup) on the host's page. */
  box?: boolean;
  /** The host's own markup before the widget, e.g. `<main><h1>Shop</h1></main>`. */
  host?: string;
  /** The phone viewport meta tag (width=device-width, initial-scale=1). */
  viewport?: boolean;
}

/**
 * A host page with the script-tag widget signed in as `user` through the dev token route, filling a
 * box of its own: what a customer's page has, as `startE2eServer({ pages })` serves it.
 *
 * @example
 * startE2eServer({ pages: { '/rita.html': widgetPage('rita', { attrs: { 'data-conversation-with': 'sam' } }) } });
 */
export function widgetPage(user: string, options: WidgetPageOptions = {}): { body: string } {
  const token = `/api/dev/token?user=${encodeURIComponent(user)}${options.name ? `&name=${encodeURIComponent(options.name)}` : ''}`;
  const attrs = Object.entries(options.attrs ?? {})
    .map(([key, value]) => ` ${key}="${attr(value)}"`)
    .join('');
  const box = options.box ?? true;
  const viewport = options.viewport ? '<meta name="viewport" content="width=device-width, initial-scale=1">' : '';
  return {
    body:
      `<!doctype html><html lang="en"><head><meta charset="utf-8">${viewport}<title>${attr(options.title ?? user)}</title></head><body>` +
      (options.host ?? '') +
      (box ? `<div id="c" style="height:${options.height ?? 600}px"></div>` : '') +
      `<script src="/widget.js" data-url="/api" data-token-url="${attr(token)}"${box ? ' data-target="#c"' : ''}${attrs}></script></body></html>`,
  };
}
