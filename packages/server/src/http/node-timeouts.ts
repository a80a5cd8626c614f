import type { Server, ServerOptions } from 'node:http';

/**
 * Socket timeouts of a node:http server. Node's defaults let a slow client hold a socket for 60 s
 * of partial headers and 300 s of a trickled body; `banter serve` uses these instead (docs/security.md).
 */
export interface ServerTimeouts {
  /** Until the request's headers are complete (Node: 60 s). Default 10 s. */
  headersTimeout: number;
  /** Until the whole request, body included, arrived (Node: 300 s). Default 60 s: a 25 MB upload needs ~3.5 Mbit/s. */
  requestTimeout: number;
  /** An idle keep-alive connection is closed after this (Node: 5 s). Default 5 s. */
  keepAliveTimeout: number;
  /** How often Node checks the two timeouts above (Node: 30 s, which stretches them). Default 1 s. */
  checkIntervalMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeout: 10_000,
  requestTimeout: 60_000,
  keepAliveTimeout: 5_000,
  checkIntervalMs: 1_000,
};

/**
 * The node:http server options for these timeouts (the check interval can only be set here).
 *
 * @example
 * ```ts
 * const server = createServer(serverOptions(timeouts), handler);
 * ```
 */
export function serverOptions(timeouts: Partial<ServerTimeouts> = {}): ServerOptions {
  const t = resolveTimeouts(timeouts);
  return {
    headersTimeout: t.headersTimeout,
    requestTimeout: t.requestTimeout,
    keepAliveTimeout: t.keepAliveTimeout,
    connectionsCheckingInterval: t.checkIntervalMs,
  };
}

/**
 * Set the timeouts on a server someone else created (a host's own `http.createServer`).
 *
 * @example
 * ```ts
 * applyServerTimeouts(server, { requestTimeout: 120_000 });
 * ```
 */
export function applyServerTimeouts(server: Server, timeouts: Partial<ServerTimeouts> = {}): void {
  const t = resolveTimeouts(timeouts);
  server.headersTimeout = t.headersTimeout;
  server.requestTimeout = t.requestTimeout;
  server.keepAliveTimeout = t.keepAliveTimeout;
}

function resolveTimeouts(timeouts: Partial<ServerTimeouts>): ServerTimeouts {
  const t = { ...DEFAULT_SERVER_TIMEOUTS, ...timeouts };
  for (const [name, value] of Object.entries(t)) {
    if (!(Number.isFinite(value) && value > 0)) throw new TypeError(`banter: ${name} must be a positive number of ms`);
  }
  // Node requires headersTimeout <= requestTimeout.
  if (t.headersTimeout > t.requestTimeout) throw new TypeError('banter: headersTimeout must not exceed requestTimeout');
  return t;
}
