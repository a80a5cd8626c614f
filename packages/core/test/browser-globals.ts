// Server rendering (Next.js, renderToString) imports the packages in Node, where these do not
// exist. The SSR tests install a getter for each and record who read it, with the reading module.

const NAMES = [
  'window',
  'document',
  'navigator',
  'location',
  'self',
  'localStorage',
  'sessionStorage',
  'HTMLElement',
  'customElements',
  'matchMedia',
  'requestAnimationFrame',
] as const;

/** One read of a browser global by the packages' own code: which, and where. */
export interface GlobalRead {
  name: string;
  at: string;
}

/**
 * Makes every browser global a recording getter that answers `undefined` (as plain Node does).
 * Only reads from the packages' own code count (not vitest's or Node's). Call `restore()` after.
 */
export function recordBrowserGlobals(): { reads: GlobalRead[]; restore(): void } {
  const reads: GlobalRead[] = [];
  const saved = new Map<string, PropertyDescriptor | undefined>();
  for (const name of NAMES) {
    saved.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        // Line 0 is "Error", line 1 this getter, line 2 the code that read the global. A guarded
        // read in a dependency (preact/hooks' `typeof requestAnimationFrame`) is not ours to count.
        const reader = new Error().stack?.split('\n')[2] ?? '';
        if (/\/packages\/(core|react|widget)\/(src|dist)\//.test(reader)) reads.push({ name, at: reader.trim() });
        return undefined;
      },
    });
  }
  return {
    reads,
    restore() {
      for (const [name, descriptor] of saved) {
        if (descriptor) Object.defineProperty(globalThis, name, descriptor);
        else delete (globalThis as Record<string, unknown>)[name];
      }
    },
  };
}
