import type { RealtimeConfig } from '@banter/core/protocol';

/** One event for one channel; `socketId` excludes that connection (the sender's own). */
export interface BroadcastEvent {
  channel: string;
  name: string;
  data: unknown;
  socketId?: string;
}

/** What `GET /config` tells clients. wsHost/wsPort null = "same host and port as the API URL". */
export type RealtimeClientConfig = Omit<RealtimeConfig, 'authEndpoint' | 'userAuthEndpoint'>;

/**
 * How the server delivers events: through a Pusher-protocol service over HTTP
 * (`pusherBroadcaster`: Pusher, Soketi, Reverb, Banter's relay elsewhere) or in process
 * (`relayBroadcaster`: the embedded relay).
 */
export interface Broadcaster {
  /** Pusher app credentials: channel authorization (POST /realtime/auth) signs with key+secret. */
  readonly app: { id: string; key: string; secret: string };
  /** What GET /config tells clients. */
  readonly clientConfig: RealtimeClientConfig;
  /** Most events per triggerBatch call (10 for Pusher). */
  readonly maxBatchSize: number;
  /** `data` is JSON-serialized once, whatever the number of channels. */
  trigger(channels: string[], name: string, data: unknown, opts?: { socketId?: string }): Promise<void>;
  /** Events of one call are delivered in order; more than maxBatchSize are sent in several requests. */
  triggerBatch(events: BroadcastEvent[]): Promise<void>;
  /**
   * Close every realtime connection of a user signed in with `pusher:signin` (a banned or erased
   * user is disconnected at once); pusher-js does not reconnect after it. Absent: the service has
   * no user authentication, and the user's connections end when their token does.
   */
  disconnectUser?(userId: string): Promise<void>;
  /** Rejects when the service is unreachable or refuses the credentials (`GET /ready`, `banter doctor`). */
  ping?(options?: { timeoutMs?: number }): Promise<void>;
  close?(): Promise<void>;
}

/** Where a Pusher-protocol service is and how to sign for it. */
export interface PusherConfig {
  appId: string;
  key: string;
  secret: string;
  /** Self-hosted services (Soketi, Reverb, a Banter relay); omit for hosted Pusher. */
  host?: string;
  port?: number;
  /** Default true. */
  useTLS?: boolean;
  /**
   * Whether the service speaks user authentication (`pusher:signin`, `terminate_connections`):
   * hosted Pusher and Banter's relay do, Soketi and Reverb do not. Default: true for hosted Pusher
   * (no `host`), false otherwise.
   */
  userAuthentication?: boolean;
  /** Hosted Pusher's cluster (`mt1`, `eu`...); pusher-js needs one even with a host. */
  cluster?: string;
  /**
   * What clients connect to, when it differs from where the server sends (a service reached as
   * `soketi:6001` inside a private network but as `ws.example.com:443` from browsers).
   */
  clientConfig?: Partial<RealtimeClientConfig>;
}
