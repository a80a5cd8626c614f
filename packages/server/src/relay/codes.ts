/**
 * Pusher protocol error and close codes. What pusher-js does with a close code:
 * 4000-4099 never reconnects, 4100-4199 reconnects after 1 s (and reports an error),
 * 4200-4299 reconnects at once, 1000/1001 reconnects after 1 s without reporting an error.
 */
export const CLOSE = {
  /**
   * The relay is shutting down. Not 4200: pusher-js would reconnect at once, into the window where
   * a restarting relay is not listening yet, and pusher-js in Node only notices a refused
   * connection after its 15 s connect timeout. 1001 makes it come back after 1 s, quietly.
   */
  goingAway: 1001,
  /** Unknown app key. */
  appUnknown: 4001,
  /** The app is disabled (`enabled: false`). */
  appDisabled: 4003,
  /** The app is over its connection quota (`RelayApp.maxConnections`). */
  overQuota: 4004,
  /** The `protocol` query parameter names a version the relay does not speak. */
  unsupportedProtocol: 4007,
  /** No `protocol` query parameter. */
  noProtocol: 4008,
  /** The server disconnected the user (`terminate_connections`), or a refused sign-in. */
  unauthorized: 4009,
  /** Too many connections: all together, from this IP, or not subscribed yet. */
  overCapacity: 4100,
  /** Generic "reconnect now". */
  reconnect: 4200,
  /** Pong not received in time. */
  pongTimeout: 4201,
  /** Neither subscribed nor signed in within `pendingTimeoutMs`; pusher-js reconnects at once. */
  inactive: 4202,
} as const;

/** Codes of `pusher:error` messages that leave the connection open. */
export const ERROR = {
  /** Anything else refused: malformed JSON, binary frame, bad client event, oversize data. */
  invalidMessage: 4300,
  /** Client events sent faster than the per-connection rate. */
  rateLimited: 4301,
} as const;
