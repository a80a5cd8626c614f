import { randomUUID } from 'node:crypto';
import type { BanterLogger } from '../observability/logger';
import type { ChatServerMetrics } from '../observability/metrics';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** What the request log and metrics learn while a request is handled. */
export interface Seen {
  /** The route pattern (`/conversations/:id`), or `unmatched`: never a raw path (ids would make metrics unbounded). */
  route: string;
  conversationId: string | undefined;
}

export type Respond = (request: Request, requestId: string, seen: Seen) => Promise<Response>;

/**
 * Wrap the handler with a request id (a sane incoming `x-request-id`, else a new UUID), one log
 * line per request and the request metrics.
 *
 * @example
 * ```ts
 * const handler = withRequestLog(respond, { logger, metrics });
 * ```
 */
export function withRequestLog(respond: Respond, { logger, metrics }: { logger: BanterLogger; metrics: ChatServerMetrics }) {
  return async function handler(request: Request): Promise<Response> {
    const started = performance.now();
    const incomingId = request.headers.get('x-request-id');
    const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    const seen: Seen = { route: 'unmatched', conversationId: undefined };
    const response = await respond(request, requestId, seen);
    const seconds = (performance.now() - started) / 1000;
    metrics.observeRequest(request.method, seen.route, response.status, seconds);
    const fields = {
      requestId,
      method: request.method,
      route: seen.route,
      status: response.status,
      durationMs: Math.round(seconds * 10_000) / 10,
      ...(seen.conversationId ? { conversationId: seen.conversationId } : {}),
    };
    // Probes arrive every few seconds: only at debug, or they drown the rest.
    if (seen.route === '/health' || seen.route === '/ready') logger.debug(fields, 'request');
    else logger.info(fields, 'request');
    return response;
  };
}
