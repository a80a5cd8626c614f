import { createChatClient, type ChatClient } from '@banter/core';
import { render } from 'preact';
import { App, ErrorBoundary } from './components/app';
import { createTranslator, detectLocale, en, loadStrings, matchLocale, type Strings } from './i18n';
import type { MountOptions } from './options';
import { createRequestHealth } from './request-health';
import { css } from './styles';
import { applyTheme, resolveTheme } from './theme';

export interface MountedWidget {
  /** Removes the widget, its listeners and observers; closes the client if the widget made it. */
  unmount(): void;
  /** The client the widget uses (the one passed in, or the one it created). */
  client: ChatClient;
}

const sheets = new WeakMap<Document, CSSStyleSheet>();

// Constructable stylesheets need no <style> element and no 'unsafe-inline', so a strict CSP is fine.
function adoptStyles(root: ShadowRoot, doc: Document): void {
  const win = doc.defaultView;
  if (win && 'adoptedStyleSheets' in root && 'replaceSync' in win.CSSStyleSheet.prototype) {
    let sheet = sheets.get(doc);
    if (!sheet) {
      sheet = new win.CSSStyleSheet();
      sheet.replaceSync(css);
      sheets.set(doc, sheet);
    }
    root.adoptedStyleSheets = [sheet];
  } else {
    // Browsers before constructable stylesheets (Safari < 16.4): a <style> element.
    const style = doc.createElement('style');
    style.textContent = css;
    root.appendChild(style);
  }
}

/**
 * Renders the chat widget into `element`, inside its own Shadow DOM (page CSS does not leak in,
 * the widget's does not leak out).
 *
 * @example
 * import { mount } from '@banter/widget';
 * const widget = mount(document.getElementById('chat')!, {
 *   url: 'https://example.com/api',
 *   getToken: () => fetch('/banter-token').then((r) => r.text()),
 *   mode: 'inbox',
 *   theme: { accent: '#0f766e', scheme: 'auto' },
 * });
 * // later
 * widget.unmount();
 */
export function mount(element: Element, options: MountOptions): MountedWidget {
  if (!element || typeof (element as Element).appendChild !== 'function') {
    throw new TypeError('Banter mount(element, options): element must be a DOM element');
  }
  const mode = options.mode ?? 'popup';
  // Only a client the widget makes can have its fetch watched; a passed-in one has the socket state.
  const health = options.client ? undefined : createRequestHealth(() => options.fetch ?? fetch);
  const client =
    options.client ??
    createChatClient({
      url: options.url,
      token: options.token,
      getToken: options.getToken,
      // Receipts for what the reader saw (the message list reports it), not for all that arrived.
      readReceipts: 'seen',
      ...(options.realtime !== undefined ? { realtime: options.realtime } : {}),
      fetch: health!.fetch,
    });
  const doc = element.ownerDocument;
  // Our own host element: the caller's element keeps its content and may host other things.
  const host = doc.createElement('div');
  host.setAttribute('data-banter-widget', mode);
  if (mode !== 'popup') host.className = 'bt-fill';
  const theme = resolveTheme(options.theme);
  applyTheme(host, theme);
  element.appendChild(host);
  const shadow = host.attachShadow({ mode: 'open' });
  adoptStyles(shadow, doc);
  let mounted = true;
  const tag = options.locale ?? detectLocale();
  const start = (strings: Strings) => {
    if (!mounted) return;
    const tr = createTranslator(tag, options.strings ? { ...strings, ...options.strings } : strings);
    render(
      <ErrorBoundary fallback={tr.t('errorLoading')}>
        <App
          context={{ client, tr, health, notifications: options.notifications }}
          mode={mode}
          unreadInTitle={options.unreadInTitle}
          conversationWith={options.conversationWith}
          open={options.open}
          host={host}
          scheme={theme.scheme}
        />
      </ErrorBoundary>,
      shadow,
    );
  };
  // English renders at once; another locale first loads its strings (a small chunk).
  if (matchLocale(tag)) loadStrings(tag).then(start, () => start(en));
  else start(en);
  return {
    client,
    unmount() {
      if (!mounted) return;
      mounted = false;
      render(null, shadow);
      host.remove();
      if (!options.client) client.close();
    },
  };
}
