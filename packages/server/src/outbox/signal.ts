/**
 * An in-process wake-up for the outbox dispatcher: the chat server calls `notify()` after each
 * commit that enqueued events, so delivery starts at once instead of at the next poll.
 */
export interface OutboxSignal {
  notify(): void;
  /** Call `fn` on every notify; returns the unsubscribe function. */
  subscribe(fn: () => void): () => void;
}

/**
 * @example
 * ```ts
 * const signal = createOutboxSignal();
 * const unsubscribe = signal.subscribe(() => dispatcher.wake());
 * signal.notify();
 * unsubscribe();
 * ```
 */
export function createOutboxSignal(): OutboxSignal {
  const listeners = new Set<() => void>();
  return {
    notify() {
      for (const fn of [...listeners]) {
        try {
          fn();
        } catch {
          // A listener's failure must not fail the request that committed the events.
        }
      }
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => {
        listeners.delete(fn);
      };
    },
  };
}
