import type { ClaimedRow } from './queries';

/**
 * An in-process wake-up for the outbox dispatcher: the chat server calls `notify(rows)` after each
 * commit that enqueued events, with the rows it wrote, so the dispatcher publishes them at once
 * (the fast path) instead of at the next poll. Without rows it only wakes the sweep.
 */
export interface OutboxSignal {
  notify(rows?: ClaimedRow[]): void;
  /** Call `fn` on every notify; returns the unsubscribe function. */
  subscribe(fn: (rows?: ClaimedRow[]) => void): () => void;
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
  const listeners = new Set<(rows?: ClaimedRow[]) => void>();
  return {
    notify(rows) {
      for (const fn of [...listeners]) {
        try {
          fn(rows);
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
