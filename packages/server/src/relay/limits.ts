import type { RelayLimits } from './types';

export const DEFAULT_LIMITS: RelayLimits = {
  // Room for a 10 KB payload that JSON-escaping grew, plus the envelope.
  maxFrameBytes: 32 * 1024,
  maxEventDataBytes: 10 * 1024,
  maxEventNameLength: 200,
  maxChannelsPerConnection: 100,
  maxClientEventsPerSecond: 10,
  maxPresenceMembers: 100,
  maxUserInfoBytes: 1024,
  maxBufferedBytes: 1024 * 1024,
  maxConnections: 100_000,
  // Generous for offices behind one NAT; one IP cannot hold more than 1% of the relay.
  maxConnectionsPerIp: 1000,
  maxPendingConnections: 10_000,
  // pusher-js subscribes right after connecting; Pusher gives unsigned sockets 30 s too.
  pendingTimeoutMs: 30_000,
  // ~200,000 channels of 164 characters; a Banter user's channel names are ~50.
  maxChannelNameBytes: 32 * 1024 * 1024,
  // At most ~10 MB of cached events (10 KB each).
  maxCachedChannels: 1000,
  // Ten events of 10 KB each, JSON-escaped, fit.
  maxHttpBodyBytes: 256 * 1024,
  maxChannelsPerEvent: 100,
  maxBatchEvents: 10,
};

export const DEFAULT_ACTIVITY_TIMEOUT = 120;

/** Pusher channel names: at most 164 characters of this alphabet. */
export const CHANNEL_NAME = /^[A-Za-z0-9_\-=@,.;]{1,164}$/;

export const SOCKET_ID = /^\d+\.\d+$/;

/** UTF-8 byte length, skipping the count when the string cannot be over `limit` anyway. */
export function exceedsBytes(s: string, limit: number): boolean {
  if (s.length * 3 <= limit) return false;
  return Buffer.byteLength(s) > limit;
}

/** User ids of `pusher:signin`: the channel-name alphabet, short enough for `#server-to-user-<id>` to stay within 164. */
export const USER_ID = /^[A-Za-z0-9_\-=@,.;]{1,148}$/;

/** The channel pusher-js subscribes to after a sign-in; only that user's sockets may join it. */
export const SERVER_TO_USER = '#server-to-user-';

/** A channel name the HTTP API may publish to: a Pusher channel name or a user's server-to-user channel. */
export function isPublishableChannel(name: string): boolean {
  return CHANNEL_NAME.test(name) || (name.startsWith(SERVER_TO_USER) && USER_ID.test(name.slice(SERVER_TO_USER.length)));
}

/** Pusher's watchlist limit. */
export const MAX_WATCHLIST = 100;
/** `user_data` of one sign-in, as JSON bytes. */
export const MAX_USER_DATA_BYTES = 4096;
