import type { Subscription } from './types';

/**
 * A typed event emitter whose subscriptions return `{ unsubscribe }`. A throwing handler is
 * reported to `onHandlerError` and never stops the others (nor the client's own bookkeeping).
 *
 * @example
 * const events = createEmitter<{ ping: number }>();
 * const sub = events.on('ping', (n) => console.log(n));
 * events.emit('ping', 1);
 * sub.unsubscribe();
 */
export function createEmitter<Events extends object>(onHandlerError?: (error: unknown) => void) {
  const handlers = new Map<keyof Events, Set<(payload: never) => void>>();
  return {
    on<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void): Subscription {
      let set = handlers.get(event);
      if (!set) handlers.set(event, (set = new Set()));
      set.add(handler as (payload: never) => void);
      return { unsubscribe: () => void set.delete(handler as (payload: never) => void) };
    },
    emit<E extends keyof Events>(event: E, payload: Events[E]): void {
      const set = handlers.get(event);
      if (!set) return;
      for (const handler of [...set]) {
        try {
          (handler as (payload: Events[E]) => void)(payload);
        } catch (error) {
          onHandlerError?.(error);
        }
      }
    },
    clear(): void {
      handlers.clear();
    },
  };
}
