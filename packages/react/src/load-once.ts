import type { ChatClient } from '@banter/core';

// One first-page request per client and key, however many components mount the same hook; a
// failed one is forgotten so the next mount tries again.
const pending = new WeakMap<ChatClient, Map<string, Promise<unknown>>>();

/** Runs `load` once per client and key while it is in flight or after it succeeded. */
export function loadOnce(client: ChatClient, key: string, load: () => Promise<unknown>): Promise<unknown> {
  let byKey = pending.get(client);
  if (!byKey) pending.set(client, (byKey = new Map()));
  const existing = byKey.get(key);
  if (existing) return existing;
  const promise = load().catch((error: unknown) => {
    byKey.delete(key);
    throw error;
  });
  byKey.set(key, promise);
  return promise;
}
