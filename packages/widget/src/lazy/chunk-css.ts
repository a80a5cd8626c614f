import { useLayoutEffect, useRef } from 'preact/hooks';

// One stylesheet per document and chunk stylesheet text; roots that have it.
const sheets = new WeakMap<Document, Map<string, CSSStyleSheet>>();
const adopted = new WeakMap<ShadowRoot, Set<string>>();

function adopt(root: ShadowRoot, css: string): void {
  const done = adopted.get(root) ?? new Set();
  adopted.set(root, done);
  if (done.has(css)) return;
  done.add(css);
  const doc = root.ownerDocument;
  const win = doc.defaultView;
  if (win && 'adoptedStyleSheets' in root && 'replaceSync' in win.CSSStyleSheet.prototype) {
    const perDoc = sheets.get(doc) ?? new Map<string, CSSStyleSheet>();
    sheets.set(doc, perDoc);
    let sheet = perDoc.get(css);
    if (!sheet) {
      sheet = new win.CSSStyleSheet();
      sheet.replaceSync(css);
      perDoc.set(css, sheet);
    }
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } else {
    const style = doc.createElement('style');
    style.textContent = css;
    root.appendChild(style);
  }
}

/**
 * A lazy chunk's own CSS, added to the widget's shadow root before the first paint (a constructable
 * stylesheet like the widget's, so a strict CSP applies it too). The returned ref goes on the
 * chunk's root element.
 */
export function useChunkCss<E extends Element>(css: string) {
  const ref = useRef<E>(null);
  useLayoutEffect(() => {
    const root = ref.current?.getRootNode();
    if (root && typeof ShadowRoot !== 'undefined' && root instanceof ShadowRoot) adopt(root, css);
  }, []);
  return ref;
}
