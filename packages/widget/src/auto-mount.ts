import { parseDataAttributes } from './data-attributes';
import type { MountedWidget } from './mount';
import type { MountOptions } from './options';

type MountFn = (element: Element, options: MountOptions) => MountedWidget;

/**
 * The script tag this code runs from: `document.currentScript` while a classic script (async or
 * not) executes; else the first `<script src*="widget" data-url>` (e.g. when a loader evaluates it).
 */
export function findOwnScript(doc: Document = document): HTMLScriptElement | null {
  const current = doc.currentScript;
  if (current instanceof HTMLScriptElement && current.dataset.url) return current;
  return doc.querySelector<HTMLScriptElement>('script[src*="widget"][data-url]');
}

/**
 * Mounts the widget from a script tag's `data-` attributes, once the target exists (after
 * DOMContentLoaded when the script runs in <head>). Never throws: a broken embed logs and leaves
 * the page alone.
 *
 * @example
 * // <script src="https://example.com/widget.js" data-url="https://example.com/api" data-token="..." async></script>
 * autoMount(findOwnScript(), mount);
 */
export function autoMount(script: HTMLScriptElement | null, mountFn: MountFn, doc: Document = document): Promise<MountedWidget | null> {
  const config = script && parseDataAttributes(script, doc.defaultView ?? window);
  if (!config) return Promise.resolve(null);
  return new Promise((resolve) => {
    const run = () => {
      try {
        let element: Element | null;
        if (config.target) {
          element = doc.querySelector(config.target);
          if (!element) throw new Error(`no element matches data-target="${config.target}"`);
        } else {
          element = doc.body;
        }
        resolve(mountFn(element, config.options));
      } catch (error) {
        console.error('[banter] unable to mount the chat widget;', error);
        resolve(null);
      }
    };
    if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', run, { once: true });
    else run();
  });
}
