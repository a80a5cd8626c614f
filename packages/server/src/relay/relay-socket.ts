import { WebSocket } from 'ws';
import type { RelayApp } from './types';
import type { WebhookSender } from './webhooks';

/**
 * A relay connection: the ws socket itself carries the Pusher state, so one object per
 * connection and no per-connection closures (ws is told to construct this class).
 */
export class RelaySocket extends WebSocket {
  socketId = '';
  app: AppState | null = null;
  /** The client's IP, counted against `maxConnectionsPerIp`. */
  ip = '';
  /** Connected at (ms); a socket still pending `pendingTimeoutMs` later is closed. */
  connectedAt = 0;
  /** Neither subscribed nor signed in yet (and so in `hub.pending`). */
  pending = true;
  /** Subscribed channel -> presence user id (null elsewhere); created on the first subscription. */
  channels: Map<string, string | null> | null = null;
  /** Signed in (`pusher:signin`) as this user; null until then. */
  userId: string | null = null;
  /** The signed-in user's watchlist (user ids whose online/offline this socket hears). */
  watchlist: string[] | null = null;
  /** Seen since the last keep-alive sweep. */
  alive = true;
  /** Client-event rate window: start (ms) and count. */
  rateWindow = 0;
  rateCount = 0;
  /** Called once, when the connection starts closing or ends (shared function, set by the relay). */
  onGone: ((s: RelaySocket) => void) | null = null;

  /**
   * ws calls close() as soon as the client's close frame arrives, long before the TCP connection
   * ends and 'close' fires: leaving the channels here makes member_removed follow a client's
   * disconnect() at once instead of lagging behind the TCP teardown.
   */
  override close(code?: number, reason?: string | Buffer): void {
    this.gone();
    super.close(code, reason);
  }

  gone(): void {
    const hook = this.onGone;
    if (!hook) return;
    this.onGone = null;
    hook(this);
  }
}

// The channel state lives here, next to the socket that points into it, and not in hub.ts:
// the two refer to each other, and one file keeps the module graph free of cycles.

export interface Member {
  info: unknown;
  /** Connections of this user on the channel: member_added on the first, member_removed on the last. */
  count: number;
}

export interface Channel {
  /** The one copy of the name that every subscriber's map shares as its key. */
  name: string;
  sockets: Set<RelaySocket>;
  /** Presence channels only. */
  members: Map<string, Member> | null;
}

/** An app's settings with every default applied. */
export interface AppSettings {
  enabled: boolean;
  publicChannels: boolean;
  clientEvents: boolean;
  maxConnections: number;
  maxChannelNameLength: number;
  maxChannelsPerConnection: number;
  maxClientEventsPerSecond: number;
}

export interface AppState {
  app: RelayApp;
  settings: AppSettings;
  channels: Map<string, Channel>;
  /** Open connections of this app. */
  connections: number;
  /** Signed-in user id -> that user's sockets. */
  users: Map<string, Set<RelaySocket>>;
  /** User id -> the sockets watching that user (their watchlist names them). */
  watchers: Map<string, Set<RelaySocket>>;
  /** Cache channels' last event (see channel-cache.ts). */
  cache: Map<string, { frame: Buffer; at: number }>;
  /** Set when webhooks are configured for this app (or for all); hooks are no-ops otherwise. */
  webhooks: WebhookSender | null;
}
