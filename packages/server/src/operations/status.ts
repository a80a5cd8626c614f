import { healthResponseSchema, openApiDocumentSchema, readyResponseSchema, realtimeConfigSchema } from '@banter/core/protocol';
import type { RealtimeConfig } from '@banter/core/protocol';
import { z } from 'zod';
import { ApiError } from '../errors/api-error';
import { openApiDocument } from './openapi';
import { type BroadcasterCredentials, defineOperation, type ServerState } from './types';

/** `GET /health`: the process answers (no database check: that is `/ready`). */
export const health = defineOperation({
  name: 'health',
  summary: 'Liveness: the process answers',
  input: z.object({}),
  actors: ['public'],
  http: { method: 'GET', path: '/health', input: 'none', response: healthResponseSchema },
  async run(): Promise<{ status: 'ok' }> {
    return { status: 'ok' };
  },
});

/** `GET /ready`: the database answers, migrations are current, the broadcaster takes the credentials. */
export const ready = defineOperation({
  name: 'ready',
  summary: 'Readiness: the database answers, migrations are current, the broadcaster accepts the credentials',
  input: z.object({}),
  actors: ['public'],
  http: { method: 'GET', path: '/ready', input: 'none', errors: ['unavailable'], response: readyResponseSchema },
  async run(ctx): Promise<{ status: 'ready' }> {
    await ctx.state.database.ping();
    const status = await ctx.state.database.migrationStatus();
    if (!status.current) throw new ApiError('unavailable', `not ready; pending migrations: ${status.pending.join(', ')}`);
    if (ctx.state.checkBroadcaster) {
      try {
        await ctx.state.checkBroadcaster();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ApiError('unavailable', `not ready; the broadcaster is unreachable or refuses the credentials: ${reason}`);
      }
    }
    return { status: 'ready' };
  },
});

/** `GET /config`: what a client needs to connect to the realtime service (no credentials needed). */
export const realtimeConfig = defineOperation({
  name: 'realtimeConfig',
  summary: 'What a client needs to connect to the realtime service',
  input: z.object({}),
  actors: ['public'],
  rateLimit: 'anonymous',
  http: { method: 'GET', path: '/config', input: 'none', errors: ['unavailable', 'rate_limited'], response: realtimeConfigSchema },
  async run(ctx): Promise<RealtimeConfig> {
    const broadcaster = requireBroadcaster(ctx.state);
    // Sign-in only where the service speaks it: pusher-js's signin on Soketi would go unanswered.
    const userAuth = broadcaster.disconnectUser ? { userAuthEndpoint: '/realtime/user-auth' } : {};
    return { ...broadcaster.clientConfig, authEndpoint: '/realtime/auth', ...userAuth };
  },
});

/** Realtime routes answer 503 on a server created without a broadcaster. */
export function requireBroadcaster(state: ServerState): BroadcasterCredentials {
  if (!state.broadcaster) {
    throw new ApiError('unavailable', 'realtime is not configured on this server; pass a broadcaster to createChatServer');
  }
  return state.broadcaster;
}

/** `GET /openapi.json`: the OpenAPI 3.1 description of this API, generated from the operations. */
export const openApi = defineOperation({
  name: 'openApi',
  summary: 'The OpenAPI 3.1 description of this API',
  input: z.object({}),
  actors: ['public'],
  http: { method: 'GET', path: '/openapi.json', input: 'none', response: openApiDocumentSchema },
  async run(ctx): Promise<Record<string, unknown>> {
    return openApiDocument(ctx.state.operations ?? {});
  },
});
