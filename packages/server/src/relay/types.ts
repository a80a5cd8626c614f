import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** One Pusher app the relay serves: `key` is public (clients connect with it), `secret` signs. */
export interface RelayApp {
  id: string;
  key: string;
  secret: string;
  /**
   * Accept connections and HTTP API calls. Default true; false closes new connections with 4003
   * (pusher-js does not reconnect) and answers the HTTP API with 403, as Pusher does for a disabled app.
   */
  enabled?: boolean;
  /**
   * Allow public channels (names without `private-` / `presence-`), which anyone holding the public
   * key may subscribe to. Default true, as Pusher; Banter's own app sets false: its clients use only
   * private and presence channels, so a public channel is an unauthenticated way to hold memory.
   */
  publicChannels?: boolean;
  /** Relay `client-*` events between subscribers. Default true (Pusher's "Enable client events"). */
  clientEvents?: boolean;
  /** This app's share of `maxConnections`; more are closed with 4004 (over quota). */
  maxConnections?: number;
  /** Longest channel name this app accepts (at most Pusher's 164). */
  maxChannelNameLength?: number;
  /** Overrides `limits.maxChannelsPerConnection` for this app. */
  maxChannelsPerConnection?: number;
  /** Overrides `limits.maxClientEventsPerSecond` for this app. */
  maxClientEventsPerSecond?: number;
  /** This app's webhooks; overrides `RelayOptions.webhooks`. */
  webhooks?: WebhookOptions;
}

/** Every bound the relay enforces. The defaults match hosted Pusher where Pusher documents one. */
export interface RelayLimits {
  /** Largest WebSocket frame accepted (ws `maxPayload`); a bigger one closes the socket with 1009. */
  maxFrameBytes: number;
  /** Largest event `data` (UTF-8 bytes), from clients and from the HTTP API (Pusher: 10 KB). */
  maxEventDataBytes: number;
  /** Longest event name (Pusher: 200). */
  maxEventNameLength: number;
  /** Channels one connection may be subscribed to at once. */
  maxChannelsPerConnection: number;
  /** Client events one connection may send per second (Pusher: 10); more get `pusher:error` 4301. */
  maxClientEventsPerSecond: number;
  /** Members of one presence channel (Pusher: 100). */
  maxPresenceMembers: number;
  /** `user_info` of one presence member, as JSON bytes (Pusher: 1 KB). */
  maxUserInfoBytes: number;
  /** A connection whose unsent data passes this many bytes is a slow reader and is dropped. */
  maxBufferedBytes: number;
  /** Open connections, all apps together; more are closed with 4100 (over capacity). */
  maxConnections: number;
  /** Open connections from one client IP (`RelayOptions.clientIp`); more are closed with 4100. */
  maxConnectionsPerIp: number;
  /** Connections that have not subscribed (nor signed in) yet, all apps together; more are closed with 4100. */
  maxPendingConnections: number;
  /** A connection that neither subscribes nor signs in within this many ms is closed with 4202. */
  pendingTimeoutMs: number;
  /**
   * Characters of channel names the relay holds, all channels of all apps together (each name is
   * stored once, however many sockets subscribe). A subscription that would create a channel past
   * it is refused with `LimitReached`.
   */
  maxChannelNameBytes: number;
  /** Cache channels whose last event the relay keeps (all apps each); past it the oldest is dropped. */
  maxCachedChannels: number;
  /** Body of one HTTP API request. */
  maxHttpBodyBytes: number;
  /** Channels in one `POST /events` (Pusher: 100). */
  maxChannelsPerEvent: number;
  /** Events in one `POST /batch_events` (Pusher: 10). */
  maxBatchEvents: number;
}

export interface RelayOptions {
  apps: RelayApp[];
  /** Seconds of silence before the relay pings a connection; a connection silent for two periods is dropped. Default 120 (Pusher's). */
  activityTimeout?: number;
  limits?: Partial<RelayLimits>;
  /** Pusher-style webhooks (channel_occupied/vacated, member_added/removed, client_event). */
  webhooks?: WebhookOptions;
  /**
   * The client's IP for `maxConnectionsPerIp`. Default the TCP peer address; behind a reverse
   * proxy, read the header the proxy sets (all clients would otherwise share the proxy's address).
   */
  clientIp?: (req: IncomingMessage) => string;
  /**
   * Several relay processes behind one load balancer: they share events (triggers, client events,
   * send-to-user, terminate_connections) through Redis pub/sub. Needs the `ioredis` package.
   */
  cluster?: ClusterOptions;
  /** Redis errors of the cluster (ioredis reconnects by itself); default ignored. */
  onClusterError?: (error: unknown) => void;
}

export interface ClusterOptions {
  /** e.g. `redis://127.0.0.1:6379`. */
  redisUrl: string;
  /** The Redis pub/sub channel; relays that share it share their apps' events. Default `banter-relay`. */
  channel?: string;
}

export interface RelayStats {
  connections: number;
  /** Connections that have neither subscribed nor signed in yet. */
  pendingConnections: number;
  /** Characters of channel names held (see `maxChannelNameBytes`). */
  channelNameBytes: number;
  /** `pusher:signin` refused (bad signature, bad user_data); each closes its connection with 4009. */
  refusedSignins: number;
  /** Connections closed at the door: capacity, per-IP, pending, app quota, app disabled. */
  refusedConnections: number;
  /** Connections closed for neither subscribing nor signing in within `pendingTimeoutMs`. */
  droppedPendingConnections: number;
  channels: number;
  subscriptions: number;
  messagesIn: number;
  messagesOut: number;
  clientEvents: number;
  refusedSubscriptions: number;
  droppedSlowConnections: number;
  droppedDeadConnections: number;
  httpRequests: number;
  webhooksSent: number;
  webhookFailures: number;
}

export interface PublishOptions {
  /** The socket id (`1234.5678`) that must not receive the event: usually the sender's own. */
  excludeSocketId?: string | null;
  /** Which app to publish on; default the first app. */
  appId?: string;
}

export interface Relay {
  /** The apps this relay serves, as given. */
  readonly apps: readonly RelayApp[];
  /** The limits in force (defaults merged with the options). */
  readonly limits: Readonly<RelayLimits>;
  /** Serve WebSocket upgrades on `/app/<key>` of an existing HTTP server. */
  attach(server: Server): void;
  /** Serve `/apps/<appId>/...` (the HTTP API); returns false, untouched, for any other path. */
  handleHttp(req: IncomingMessage, res: ServerResponse): boolean;
  /** Listen on its own HTTP server (WebSocket and HTTP API); port 0 picks a free port. */
  listen(port: number, host?: string): Promise<{ port: number }>;
  /**
   * Deliver an event in process (no HTTP hop). `data` that is not a string is JSON-serialized.
   * Throws a RangeError when data exceeds `maxEventDataBytes`, as Pusher would answer 413.
   */
  publish(channels: string | readonly string[], event: string, data: unknown, options?: PublishOptions): void;
  /**
   * Close every connection of a signed-in user (`pusher:signin`) with 4009, so pusher-js does not
   * reconnect: what `POST /apps/:id/users/:userId/terminate_connections` does, in process. With
   * `cluster`, the other relay processes close theirs too. Returns how many this process closed.
   */
  terminateUser(userId: string, options?: { appId?: string }): number;
  stats(): RelayStats;
  /** Resolves when the relay is ready to serve (with `cluster`: subscribed to Redis). listen() waits for it. */
  readonly ready: Promise<void>;
  /** Close every connection with 1001 (pusher-js reconnects after 1 s) and stop listening. */
  close(): Promise<void>;
}

// Webhook types live here, not in webhooks.ts: RelayOptions names them, and webhooks.ts needs RelayApp.
export type WebhookEventName = 'channel_occupied' | 'channel_vacated' | 'member_added' | 'member_removed' | 'client_event' | 'cache_miss';

export interface WebhookOptions {
  /** Receives `POST {time_ms, events}` signed like Pusher's (`X-Pusher-Key`, `X-Pusher-Signature`). */
  url: string;
  /** Which events to send; default all. */
  events?: WebhookEventName[];
  /** Events are gathered this long into one request. Default 100 ms. */
  batchMs?: number;
  /** Only events on channels whose name starts with one of these (Soketi's `channel_name_starts_with`). */
  channelPrefixes?: string[];
}

export interface WebhookEvent {
  name: WebhookEventName;
  channel: string;
  [field: string]: unknown;
}
