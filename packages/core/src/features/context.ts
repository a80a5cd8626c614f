import type { createEmitter } from '../emitter';
import type { HttpApi } from '../http';
import type { Platform } from '../platform';
import type { Persisted } from '../storage';
import type { ChatClientEvents, ChatState, ClientTimings, ConversationState } from '../types';

export const defaultTimings: ClientTimings = {
  typingThrottle: 3000,
  typingExpiry: 5000,
  readDebounce: 300,
  sendBackoff: (n) => Math.min(30_000, 1000 * 2 ** (n - 1)),
  gapHold: 250,
};

/** What every feature of the client shares: the layers, the store, the events, the closed flag. */
export interface ClientContext {
  http: HttpApi;
  platform: Platform;
  timings: ClientTimings;
  snapshot(): ChatState;
  subscribe(listener: () => void): () => void;
  dispatch(update: (state: ChatState) => ChatState): void;
  get(conversationId: string): ConversationState | undefined;
  events: ReturnType<typeof createEmitter<ChatClientEvents>>;
  log(...args: unknown[]): void;
  report(error: unknown, extra?: { clientId?: string; conversationId?: string }): void;
  /** A JSON value of the client's storage under the user's keys (`<prefix><user id>:<name>`), once /me answered. */
  box?<T>(name: string): Persisted<T>;
  /** Set once by `client.close()`: every feature stops starting work. */
  closed: boolean;
}

/** A timer per key that a feature can cancel one by one or all at once in its `dispose()`. */
export function createTimers(platform: Platform) {
  const timers = new Map<string, unknown>();
  return {
    has: (key: string) => timers.has(key),
    set(key: string, ms: number, run: () => void) {
      platform.clearTimeout(timers.get(key));
      timers.set(
        key,
        platform.setTimeout(() => {
          timers.delete(key);
          run();
        }, ms),
      );
    },
    clear(key: string) {
      platform.clearTimeout(timers.get(key));
      timers.delete(key);
    },
    dispose() {
      for (const t of timers.values()) platform.clearTimeout(t);
      timers.clear();
    },
  };
}
export type Timers = ReturnType<typeof createTimers>;
