// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { recordBrowserGlobals } from '../../core/test/browser-globals';

// A server component tree (Next.js) imports the widget's module even though only the browser
// mounts it: the import must neither crash nor read window/document.
describe('@banter/widget on a server (no DOM)', () => {
  it('imports without touching a browser global; mount() without an element says why', async () => {
    expect(typeof document).toBe('undefined');
    const recorder = recordBrowserGlobals();
    try {
      const widget = await import('@banter/widget');
      expect(typeof widget.mount).toBe('function');
      expect(recorder.reads).toEqual([]);
      expect(() => widget.mount(undefined as never, { url: '/api', token: 't' })).toThrow(/element must be a DOM element/);
    } finally {
      recorder.restore();
    }
  });
});
