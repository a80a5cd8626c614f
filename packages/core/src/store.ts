/** A store that can change: the client's own handle; UIs get the read-only {@link ChatStore}. */
export interface WritableStore<S> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): S;
  setState(update: (state: S) => S): void;
}

/**
 * A minimal external store: listeners run only when the snapshot object changed, so
 * `useSyncExternalStore` re-renders only on change (the shape of stream-chat-js's StateStore).
 *
 * @example
 * const store = createStore({ count: 0 });
 * const off = store.subscribe(() => console.log(store.getSnapshot().count));
 * store.setState((s) => ({ count: s.count + 1 }));
 * off();
 */
export function createStore<S>(initial: S): WritableStore<S> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    getSnapshot: () => state,
    setState(update) {
      const next = update(state);
      if (next === state) return;
      state = next;
      // A copy: a listener may unsubscribe (or subscribe) while we notify.
      for (const listener of [...listeners]) listener();
    },
  };
}
