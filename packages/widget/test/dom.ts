import { configure, within } from '@testing-library/preact';

// Testing Library's error pretty-printer refuses ShadowRoots; keep its message, skip the DOM dump.
configure({
  getElementError: (message) => Object.assign(new Error(message ?? 'element not found'), { name: 'TestingLibraryElementError' }),
});

/** Testing Library queries inside the widget's shadow root. */
export function shadowOf(host: Element) {
  const widget = host.querySelector('[data-banter-widget]');
  const root = widget?.shadowRoot;
  if (!root) throw new Error('test: no Banter widget (with a shadow root) in this element');
  return { root, ...within(root as unknown as HTMLElement) };
}
