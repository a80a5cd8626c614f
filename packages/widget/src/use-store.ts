import { useEffect, useReducer } from 'preact/hooks';

interface Subscribable<S> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): S;
}

/**
 * A tiny `useSyncExternalStore` on preact/hooks (preact/compat would cost more bytes): re-renders
 * when the store's snapshot object changes, and reads the current snapshot during render.
 *
 * @example
 * const state = useStore(client.store);
 */
export function useStore<S>(store: Subscribable<S>): S {
  const snapshot = store.getSnapshot();
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    let last = snapshot;
    const check = () => {
      const next = store.getSnapshot();
      if (next !== last) {
        last = next;
        rerender(0);
      }
    };
    const unsubscribe = store.subscribe(check);
    // The store may have changed between render and subscribe.
    check();
    return unsubscribe;
  }, [store]);
  return snapshot;
}
