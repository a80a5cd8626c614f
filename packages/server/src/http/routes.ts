import {
  CONVERSATION_CHANNEL_PREFIX,
  createConversationBodySchema,
  idSchema,
  listConversationsQuerySchema,
  listMessagesQuerySchema,
  markReadBodySchema,
  type RealtimeConfig,
  realtimeAuthBodySchema,
  sendMessageBodySchema,
  USER_CHANNEL_PREFIX,
} from '@banter/core/protocol';
import type { z } from 'zod';
import { type Authenticate, identify } from '../auth/authenticate';
import type { Identity } from '../auth/tokens';
import type { Database } from '../db/create-database';
import type { Broadcaster } from '../realtime/broadcaster';
import { signChannelAuth } from '../realtime/sign-channel-auth';
import { conversationNotFound, createConversation, getConversation, isParticipant, listConversations } from '../store/conversations';
import type { RequestMeta, StoreContext } from '../store/context';
import { listMessages, sendMessage } from '../store/messages';
import { markRead } from '../store/read';
import { getUser } from '../store/users';
import { readFormBody, readJsonBody } from './body';
import { ApiError, validationError } from './errors';
import type { RateLimitGuard } from './rate-limit';
import { json } from './respond';
import type { Route } from './router';

/** What the routes need of a Broadcaster: credentials to sign channels and what clients connect to. */
export type BroadcasterCredentials = Pick<Broadcaster, 'app' | 'clientConfig'>;

export interface ServerState {
  database: Database;
  store: StoreContext;
  secret: string;
  authenticate?: Authenticate;
  broadcaster?: BroadcasterCredentials;
  limits: { requestBytes: number; messageLength: number };
  syncUser(identity: Identity): Promise<void>;
  /** Resolves once migrations ran (or retries them after a failure). */
  ensureReady(): Promise<void>;
  /** Rejects when the broadcaster is unreachable or refuses the credentials (cached answer). */
  checkBroadcaster?: () => Promise<void>;
  /** Per-user and per-IP limits; absent: none. */
  rateLimit?: RateLimitGuard;
}

export interface RequestContext {
  request: Request;
  url: URL;
  state: ServerState;
  meta: RequestMeta;
}

/** Presence user_info must stay within 1 KB (Pusher's limit): a long avatar URL is left out. */
const MAX_USER_INFO_BYTES = 1000;

async function caller(ctx: RequestContext): Promise<Identity> {
  try {
    return await identify(ctx.request, ctx.state.secret, ctx.state.authenticate);
  } catch (error) {
    // Failed sign-ins count against the caller's address: guessing tokens gets a 429, not 401s forever.
    if (error instanceof ApiError && error.code === 'unauthorized') ctx.state.rateLimit?.anonymous(ctx.request);
    throw error;
  }
}

/** Validated after authentication, so bad input from a stranger costs no database work. */
async function synced(ctx: RequestContext, identity: Identity): Promise<void> {
  await ctx.state.ensureReady();
  await ctx.state.syncUser(identity);
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, what);
  return result.data;
}

function query(url: URL): Record<string, string> {
  return Object.fromEntries(url.searchParams);
}

/** Conversation ids are UUIDs: anything else cannot exist, so it is a 404 like an unknown one. */
function conversationId(params: Record<string, string>): string {
  const id = params.id ?? '';
  if (!idSchema.safeParse(id).success) throw conversationNotFound(id);
  return id.toLowerCase();
}

export const routes: Route<RequestContext>[] = [
  {
    path: '/me',
    methods: {
      async GET(ctx) {
        const identity = await caller(ctx);
        await synced(ctx, identity);
        const user = await getUser(ctx.state.database.kysely, identity.id);
        return json(200, { user });
      },
    },
  },
  {
    path: '/conversations',
    methods: {
      async GET(ctx) {
        const identity = await caller(ctx);
        const q = parse(listConversationsQuerySchema, query(ctx.url), 'query');
        await synced(ctx, identity);
        return json(200, await listConversations(ctx.state.database, identity.id, q));
      },
      async POST(ctx) {
        const identity = await caller(ctx);
        const body = parse(createConversationBodySchema, await readJsonBody(ctx.request, ctx.state.limits.requestBytes), 'body');
        await synced(ctx, identity);
        const result = await createConversation(ctx.state.store, identity.id, body, ctx.meta);
        return json(result.created ? 201 : 200, { conversation: result.conversation });
      },
    },
  },
  {
    path: '/conversations/:id',
    methods: {
      async GET(ctx, params) {
        const identity = await caller(ctx);
        const id = conversationId(params);
        await synced(ctx, identity);
        const conversation = await getConversation(ctx.state.database, identity.id, id);
        if (!conversation) throw conversationNotFound(id);
        return json(200, { conversation });
      },
    },
  },
  {
    path: '/conversations/:id/messages',
    methods: {
      async GET(ctx, params) {
        const identity = await caller(ctx);
        const id = conversationId(params);
        const q = parse(listMessagesQuerySchema, query(ctx.url), 'query');
        await synced(ctx, identity);
        const page = await listMessages(ctx.state.database, identity.id, id, q);
        if (!page) throw conversationNotFound(id);
        return json(200, page);
      },
      async POST(ctx, params) {
        const identity = await caller(ctx);
        const id = conversationId(params);
        ctx.state.rateLimit?.send(identity.id);
        const body = parse(sendMessageBodySchema, await readJsonBody(ctx.request, ctx.state.limits.requestBytes), 'body');
        const max = ctx.state.limits.messageLength;
        if (body.body.length > max) {
          throw new ApiError('validation_failed', `invalid body; body: messages are at most ${max} characters`, {
            details: [{ path: 'body', message: `messages are at most ${max} characters` }],
          });
        }
        await synced(ctx, identity);
        const result = await sendMessage(
          ctx.state.store,
          { conversationId: id, senderId: identity.id, clientId: body.clientId, body: body.body },
          ctx.meta,
        );
        return json(result.created ? 201 : 200, { message: result.message });
      },
    },
  },
  {
    path: '/conversations/:id/read',
    methods: {
      async POST(ctx, params) {
        const identity = await caller(ctx);
        const id = conversationId(params);
        const body = parse(markReadBodySchema, await readJsonBody(ctx.request, ctx.state.limits.requestBytes, { optional: true }), 'body');
        await synced(ctx, identity);
        return json(200, await markRead(ctx.state.store, identity.id, id, body.seq, ctx.meta));
      },
    },
  },
  {
    path: '/config',
    methods: {
      async GET(ctx) {
        ctx.state.rateLimit?.anonymous(ctx.request);
        const broadcaster = requireBroadcaster(ctx);
        const config: RealtimeConfig = { ...broadcaster.clientConfig, authEndpoint: '/realtime/auth' };
        return json(200, config);
      },
    },
  },
  {
    path: '/realtime/auth',
    methods: {
      async POST(ctx) {
        const identity = await caller(ctx);
        const broadcaster = requireBroadcaster(ctx);
        const form = parse(realtimeAuthBodySchema, await readFormBody(ctx.request, ctx.state.limits.requestBytes), 'body');
        const channel = form.channel_name;
        if (channel.startsWith(USER_CHANNEL_PREFIX)) {
          // Only one's own private channel: events there are addressed to that user alone.
          if (channel !== `${USER_CHANNEL_PREFIX}${identity.id}`) throw forbidden(channel);
          await synced(ctx, identity);
          return json(200, signChannelAuth(broadcaster.app, form.socket_id, channel));
        }
        if (channel.startsWith(CONVERSATION_CHANNEL_PREFIX)) {
          const id = channel.slice(CONVERSATION_CHANNEL_PREFIX.length);
          if (!idSchema.safeParse(id).success) throw forbidden(channel);
          await synced(ctx, identity);
          if (!(await isParticipant(ctx.state.database.kysely, id.toLowerCase(), identity.id))) throw forbidden(channel);
          const user = await getUser(ctx.state.database.kysely, identity.id);
          const channelData = presenceChannelData(identity.id, user?.name ?? null, user?.avatarUrl ?? null);
          return json(200, signChannelAuth(broadcaster.app, form.socket_id, channel, channelData));
        }
        throw forbidden(channel);
      },
    },
  },
  {
    path: '/health',
    methods: {
      async GET() {
        return json(200, { status: 'ok' });
      },
    },
  },
  {
    path: '/ready',
    methods: {
      async GET(ctx) {
        await ctx.state.database.ping();
        const status = await ctx.state.database.migrationStatus();
        if (!status.current) {
          throw new ApiError('unavailable', `not ready; pending migrations: ${status.pending.join(', ')}`);
        }
        if (ctx.state.checkBroadcaster) {
          try {
            await ctx.state.checkBroadcaster();
          } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            throw new ApiError('unavailable', `not ready; the broadcaster is unreachable or refuses the credentials: ${reason}`);
          }
        }
        return json(200, { status: 'ready' });
      },
    },
  },
];

function presenceChannelData(userId: string, name: string | null, avatarUrl: string | null): string {
  const data = JSON.stringify({ user_id: userId, user_info: { name, avatarUrl } });
  if (Buffer.byteLength(data) <= MAX_USER_INFO_BYTES) return data;
  return JSON.stringify({ user_id: userId, user_info: { name, avatarUrl: null } });
}

function requireBroadcaster(ctx: RequestContext): BroadcasterCredentials {
  if (!ctx.state.broadcaster) {
    throw new ApiError('unavailable', 'realtime is not configured on this server; pass a broadcaster to createChatServer');
  }
  return ctx.state.broadcaster;
}

function forbidden(channel: string): ApiError {
  return new ApiError('forbidden', `not allowed to subscribe to ${channel}`);
}

