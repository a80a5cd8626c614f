import { ApiError, toApiError } from '../errors/api-error';
import type { Operation, ServerState } from '../operations/types';
import { normalizeBasePath, stripBasePath } from './base-path';
import { type CorsOptions, corsHeaders, preflightHeaders } from './cors';
import type { RateLimitGuard } from './rate-limit-guard';
import type { Respond } from './request-log';
import { errorResponse } from './respond';
import { createRouter, routesOf } from './router';
import { runHttpOperation } from './run-operation';

const SOCKET_ID = /^\d{1,20}\.\d{1,20}$/;

export interface HttpHandlerOptions {
  state: ServerState;
  operations: Record<string, Operation>;
  basePath?: string;
  cors?: CorsOptions;
  rateLimit: RateLimitGuard;
  /** Banter's own faults (500) and outages with a cause (503), with the request's facts. */
  onError(error: unknown, context: { requestId?: string; method?: string; path?: string }): void;
}

/**
 * The HTTP API as `respond(request, requestId, seen)`: base path, CORS and preflights, routing onto
 * the operations table, and every error as the protocol's error body.
 *
 * @example
 * ```ts
 * const handler = withRequestLog(createHttpResponder({ state, operations, rateLimit, onError }), { logger, metrics });
 * ```
 */
export function createHttpResponder(options: HttpHandlerOptions): Respond {
  const basePath = normalizeBasePath(options.basePath);
  const router = createRouter(routesOf(options.operations));

  return async function respond(request, requestId, seen) {
    const cors = corsHeaders(options.cors, request.headers.get('origin'));
    const headers = { ...cors, 'x-request-id': requestId };
    let path = '';
    try {
      const url = new URL(request.url);
      path = stripBasePath(url.pathname, basePath);
      // Signed file URLs (uploads to and reads from the local disk): no bearer token, the signature is the credential.
      if (path.startsWith('/files/')) {
        seen.route = path.split('/').length > 3 ? '/files/:id/:variant' : '/files/:id';
        if (request.method === 'OPTIONS') {
          const preflight = cors['access-control-allow-origin'] ? preflightHeaders(['GET', 'HEAD', 'PUT']) : {};
          return new Response(null, { status: 204, headers: { ...headers, ...preflight, allow: 'GET, HEAD, PUT' } });
        }
        await options.state.ensureReady();
        const response = await options.state.uploads.handle(request, path);
        if (!response) throw new ApiError('not_found', `no route ${url.pathname}`);
        for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
        return response;
      }
      const matched = router.match(path);
      if (request.method === 'OPTIONS') {
        if (!matched) throw new ApiError('not_found', `no route ${url.pathname}`);
        const preflight = cors['access-control-allow-origin'] ? preflightHeaders(matched.allow) : {};
        return new Response(null, { status: 204, headers: { ...headers, ...preflight, allow: matched.allow.join(', ') } });
      }
      if (matched) {
        seen.route = matched.route.path;
        seen.conversationId = matched.params.id;
      }
      const { operation, params } = router.resolve(request.method, path);
      const socketId = request.headers.get('x-socket-id');
      const context = {
        state: options.state,
        meta: { requestId, socketId: socketId && SOCKET_ID.test(socketId) ? socketId : null },
        via: 'http' as const,
      };
      const response = await runHttpOperation(operation, { request, url, params, context, rateLimit: options.rateLimit });
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
      return response;
    } catch (thrown) {
      const error = toApiError(thrown);
      // Outages and bugs go to the log; a missing broadcaster (503 without a cause) is configuration.
      if (error.code === 'internal' || (error.code === 'unavailable' && error.cause !== undefined)) {
        options.onError(error.cause ?? thrown, { requestId, method: request.method, path });
      }
      return errorResponse(error, headers);
    }
  };
}
