import type { AppState } from './relay-socket';

/** Pusher keeps a cache channel's last event for 30 minutes. */
const CACHE_TTL_MS = 30 * 60 * 1000;

/** `cache-`, `private-cache-`, `private-encrypted-cache-` and `presence-cache-` channels. */
export function isCacheChannel(name: string): boolean {
  return (
    name.startsWith('cache-') ||
    name.startsWith('private-cache-') ||
    name.startsWith('private-encrypted-cache-') ||
    name.startsWith('presence-cache-')
  );
}

/**
 * The last event of each cache channel, as the frame already built for its subscribers, replayed
 * to a new subscriber. Bounded: past `max` entries the oldest goes (a Map keeps insertion order,
 * and an update moves its channel to the end).
 */
export class ChannelCache {
  constructor(private readonly max: number) {}

  remember(state: AppState, name: string, frame: Buffer): void {
    state.cache.delete(name);
    state.cache.set(name, { frame, at: Date.now() });
    if (state.cache.size > this.max) state.cache.delete(state.cache.keys().next().value!);
  }

  /** The cached frame, or null on a miss (never published, or older than 30 minutes). */
  get(state: AppState, name: string): Buffer | null {
    const entry = state.cache.get(name);
    if (!entry) return null;
    if (Date.now() - entry.at > CACHE_TTL_MS) {
      state.cache.delete(name);
      return null;
    }
    return entry.frame;
  }
}
