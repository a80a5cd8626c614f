import type { RealtimeConfig } from '@banter/core/protocol';

/** One event for one channel; `socketId` excludes that connection (the sender's own). */
export interface BroadcastEvent {
  channel: string;
  name: string;
  data: unknown;
  socketId?: string;
}

/** What `GET /config` tells clients. wsHost/wsPort null = "same host and port as the API URL". */
export type RealtimeClientConfig = Omit<RealtimeConfig, 'authEndpoint'>;

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
  /** Hosted Pusher's cluster (`mt1`, `eu`...); pusher-js needs one even with a host. */
  cluster?: string;
  /**
   * What clients connect to, when it differs from where the server sends (a service reached as
   * `soketi:6001` inside a private network but as `ws.example.com:443` from browsers).
   */
  clientConfig?: Partial<RealtimeClientConfig>;
}
