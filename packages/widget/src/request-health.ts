/** Whether the API answered the widget's latest request, for the connection banner. */
export interface RequestHealth {
  /** The fetch to hand to createChatClient. */
  fetch: typeof fetch;
  /** True from a request that got no answer (or a 502/503/504) until one gets an answer again. */
  getSnapshot(): boolean;
  subscribe(listener: () => void): () => void;
  /** Forgets an earlier failure (the realtime socket reconnected: the server is back). */
  reset(): void;
}

// A gateway or a restarting server; any other answer (even a 4xx) means the server is there.
const DOWN = new Set([502, 503, 504]);

/**
 * Wraps `fetch` so the widget knows the moment a request fails, not only when the realtime socket
 * gives up after its timeouts: a stopped server showed only "Sending…" for a 10 s outage.
 *
 * @example
 * const health = createRequestHealth(() => globalThis.fetch);
 * const client = createChatClient({ url, token, fetch: health.fetch });
 * health.subscribe(() => console.log(health.getSnapshot() ? 'down' : 'up'));
 */
export function createRequestHealth(base: () => typeof fetch): RequestHealth {
  let failing = false;
  const listeners = new Set<() => void>();
  const set = (next: boolean) => {
    if (next === failing) return;
    failing = next;
    for (const listener of listeners) listener();
  };
  return {
    fetch: async (input, init) => {
      try {
        const response = await base()(input, init);
        set(DOWN.has(response.status));
        return response;
      } catch (error) {
        // No answer at all (or the client's 15 s timeout). A close aborts too, but then nobody looks.
        set(true);
        throw error;
      }
    },
    getSnapshot: () => failing,
    reset: () => set(false),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
