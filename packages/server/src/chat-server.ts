import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import {
  type Conversation,
  type ConversationPage,
  LIMITS,
  type Message,
  type MessagePage,
  type ReadResponse,
  type User,
  userIdSchema,
} from '@banter/core/protocol';
import { z } from 'zod';
import type { Authenticate } from './auth/authenticate';
import { assertSecret, checkProfile, createUserToken, type CreateUserTokenOptions } from './auth/tokens';
import { createDatabase, type Database, type DatabaseOptions } from './db/create-database';
import { type CorsOptions, corsHeaders, preflightHeaders } from './http/cors';
import { ApiError, toApiError, validationError } from './http/errors';
import { type ClientIpOptions, createRateLimitGuard, type RateLimitOptions } from './http/rate-limit';
import { errorResponse } from './http/respond';
import { createRouter } from './http/router';
import { type RequestContext, routes, type ServerState } from './http/routes';
import type { Broadcaster } from './realtime/broadcaster';
import { createOutboxSignal, type OutboxSignal } from './outbox/signal';
import { OutboxDeliveryError } from './outbox/delivery-error';
import { createOutboxDispatcher, type OutboxDispatcher, type OutboxDispatcherOptions } from './outbox/dispatcher';
import { type FailedEvent, listFailedEvents, retryFailedEvents, type RetryFailedEventsTarget } from './outbox/failed-events';
import { type OutboxMetrics, outboxMetrics } from './outbox/metrics';
import { createConversation, getConversation, listConversations } from './store/conversations';
import type { StoreContext } from './store/context';
import { listMessages, sendMessage } from './store/messages';
import { markRead } from './store/read';
import { cachedCheck } from './observability/cached-check';
import { type BanterLogger, createLogger, errorFields } from './observability/logger';
import { createChatServerMetrics } from './observability/metrics';
import type { FileStorage } from './files/storage';
import { storageFromEnv } from './files/storage-from-env';
import { createUserSync, upsertUser } from './store/users';

export interface ChatServerOptions {
  /** A Database from `createDatabase`, or its options (the server then owns and closes it). */
  database?: Database | DatabaseOptions;
  /** Signs user tokens (HS256); at least 32 characters. */
  secret: string;
  /** The host's own sign-in check, tried before the bearer token. */
  authenticate?: Authenticate;
  /** Where the handler is mounted in the URL path, e.g. `/api/chat`. Default: the root. */
  basePath?: string;
  limits?: { requestBytes?: number; messageLength?: number };
  cors?: CorsOptions;
  /** Realtime delivery; without it `GET /config` and `POST /realtime/auth` answer 503. */
  broadcaster?: Broadcaster;
  /** Run pending migrations on startup (default true). */
  migrate?: boolean;
  /**
   * Run the outbox dispatcher in this process (default true, when a broadcaster is given).
   * `false`: events stay queued for a dispatcher elsewhere (another instance, a worker) or a test.
   */
  dispatch?: boolean;
  /** Dispatcher tuning: poll interval, attempts, backoff, retention (see docs/delivery.md). */
  dispatcher?: OutboxDispatcherOptions;
  /**
   * Per-user send limits and per-IP limits on requests without valid credentials (429
   * `rate_limited` with Retry-After); in memory, per instance. `false`: none. See docs/security.md.
   */
  rateLimits?: RateLimitOptions | false;
  /** The caller's IP for per-IP limits; default: the socket address the node adapter records. */
  getClientIp?: ClientIpOptions['getClientIp'];
  /** Behind reverse proxies: trust that many X-Forwarded-For hops (true = 1) for the client IP. */
  trustProxy?: ClientIpOptions['trustProxy'];
  /** Internal errors (answered 500) and database outages (503), with the request id. */
  onError?: (error: unknown, context: { requestId?: string; method?: string; path?: string }) => void;
  /**
   * A pino-compatible logger for the structured JSON logs (requests, deliveries, errors), e.g. the
   * host's own pino or Fastify's `app.log`. Default: pino on stdout at BANTER_LOG_LEVEL (info).
   */
  logger?: BanterLogger;
  /** Where the Prometheus metrics go (default: a registry of this server's own; see `chat.registry`). */
  registry?: Registry;
  /**
   * Where uploaded files live: `createLocalStorage`, `createS3Storage` or your own `FileStorage`.
   * Default: from BANTER_STORAGE and S3_* (docs/attachments.md), else the local disk under
   * `$BANTER_DATA_DIR/files` (`.banter/files`).
   */
  storage?: FileStorage;
}

/** What `chat.metrics()` reports. */
export interface ChatMetrics {
  outbox: OutboxMetrics;
}

/** In-process calls for the host's backend: no HTTP, no token; the host says who acts. */
export interface ChatApi {
  upsertUser(user: { id: string; name?: string | null; avatarUrl?: string | null }): Promise<User>;
  createConversation(input: { createdBy: string; participantIds: string[]; title?: string }): Promise<{
    conversation: Conversation;
    created: boolean;
  }>;
  /** As a participant (`senderId`), or as a system sender (`system: true`, id default `system`). */
  sendMessage(input: {
    conversationId: string;
    body: string;
    senderId?: string;
    system?: boolean;
    clientId?: string;
  }): Promise<{ message: Message; created: boolean }>;
  createUserToken(userId: string, options: CreateUserTokenOptions): Promise<string>;
  getConversation(userId: string, conversationId: string): Promise<Conversation | null>;
  listConversations(userId: string, options?: { limit?: number; cursor?: string }): Promise<ConversationPage>;
  listMessages(
    userId: string,
    conversationId: string,
    options?: { limit?: number; before?: number; after?: number },
  ): Promise<MessagePage | null>;
  markRead(userId: string, conversationId: string, seq?: number): Promise<ReadResponse>;
}

export interface ChatServer {
  /** Web-standard handler: mount it on any framework (see the adapters). */
  handler(request: Request): Promise<Response>;
  api: ChatApi;
  db: Database;
  /** Woken after every commit that wrote outbox rows (the dispatcher subscribes). */
  outboxSignal: OutboxSignal;
  /** The broadcaster given in the options (the outbox dispatcher delivers through it). */
  broadcaster: Broadcaster | undefined;
  /** Resolves when migrations ran (rejects if they failed; requests then retry them). */
  ready: Promise<void>;
  /** The outbox dispatcher, started after migrations; null with `dispatch: false` or no broadcaster. */
  dispatcher: OutboxDispatcher | null;
  /** Delivery health, read from the database (covers every instance). */
  metrics(): Promise<ChatMetrics>;
  /** Prometheus metrics of this server (serve them with `metricsHandler(chat)`). */
  registry: Registry;
  /** The logger in use (the `logger` option, or Banter's pino). */
  logger: BanterLogger;
  /** The file storage in use (the `storage` option, or the one the environment names). */
  storage: FileStorage;
  /** Dead letters: list them, and replay them (`banter outbox failed` / `retry`). */
  outbox: {
    failed(options?: { limit?: number }): Promise<FailedEvent[]>;
    retry(target: RetryFailedEventsTarget): Promise<number>;
  };
  close(): Promise<void>;
}

function isDatabase(value: unknown): value is Database {
  return typeof value === 'object' && value !== null && 'kysely' in value && typeof (value as Database).migrate === 'function';
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const SEND_ROUTE = '/conversations/:id/messages';

/** What the request log and metrics learn while a request is handled. */
interface Seen {
  route: string;
  conversationId: string | undefined;
}
const SOCKET_ID = /^\d{1,20}\.\d{1,20}$/;
const MIGRATION_RETRY_MS = 2000;

/**
 * Create Banter's chat server: storage, the HTTP API as one `Request -> Response` handler, and an
 * in-process `api` for the host's backend.
 *
 * @example
 * ```ts
 * import { createChatServer } from '@banter/server';
 *
 * const chat = createChatServer({
 *   database: { url: process.env.DATABASE_URL },
 *   secret: process.env.BANTER_SECRET!,
 *   basePath: '/api/chat',
 * });
 * await chat.ready;
 * const token = await chat.api.createUserToken('alice', { expiresIn: '1h', name: 'Alice' });
 * const response = await chat.handler(new Request('http://localhost/api/chat/me', {
 *   headers: { authorization: `Bearer ${token}` },
 * }));
 * ```
 */
export function createChatServer(options: ChatServerOptions): ChatServer {
  assertSecret(options.secret);
  const basePath = normalizeBasePath(options.basePath);
  const requestBytes = options.limits?.requestBytes ?? LIMITS.requestBytes;
  const messageLength = Math.min(options.limits?.messageLength ?? LIMITS.messageLength, LIMITS.messageLength);
  if (!(requestBytes > 0) || !(messageLength > 0)) throw new TypeError('banter: limits must be positive numbers');

  const ownsDatabase = !isDatabase(options.database);
  const database = isDatabase(options.database) ? options.database : createDatabase(options.database ?? {});
  const logger = options.logger ?? createLogger();
  const storage = options.storage ?? storageFromEnv(process.env, { dataDir: process.env.BANTER_DATA_DIR?.trim() || '.banter' });
  // Errors always reach the log; a host's onError (alerting, Sentry) is called as well.
  const onError = (error: unknown, context: { requestId?: string; method?: string; path?: string }) => {
    logger.error({ ...context, ...errorFields(error) }, 'internal error');
    options.onError?.(error, context);
  };
  const outboxSignal = createOutboxSignal();
  const store: StoreContext = { database, onEventsCommitted: () => outboxSignal.notify() };
  const dispatcher =
    options.dispatch !== false && options.broadcaster
      ? createOutboxDispatcher({
          ...options.dispatcher,
          database,
          broadcaster: options.broadcaster,
          signal: outboxSignal,
          logger: logger.child({ component: 'outbox' }),
          onError: (error) => {
            // A failed row is already logged by the dispatcher, with its request id.
            if (error instanceof OutboxDeliveryError) options.onError?.(error, {});
            else onError(error, {});
          },
        })
      : null;

  // Migrations on startup; after a failure (database down at boot) the next request tries again.
  let migrated = options.migrate === false;
  let inFlight: Promise<void> | null = null;
  let lastAttempt = 0;
  function runMigrations(): Promise<void> {
    lastAttempt = Date.now();
    inFlight = database.migrate().then(
      () => {
        migrated = true;
        inFlight = null;
        dispatcher?.start();
      },
      (error) => {
        inFlight = null;
        throw error;
      },
    );
    return inFlight;
  }
  const ready = migrated ? Promise.resolve() : runMigrations();
  if (migrated) dispatcher?.start();
  ready.catch((error) => onError(error, {}));
  async function ensureReady(): Promise<void> {
    if (migrated) return;
    if (inFlight) return inFlight.catch((error) => Promise.reject(notReady(error)));
    if (Date.now() - lastAttempt < MIGRATION_RETRY_MS) throw notReady();
    await runMigrations().catch((error) => Promise.reject(notReady(error)));
  }

  const metrics = createChatServerMetrics(
    {
      outbox: () => (migrated ? outboxMetrics(database) : Promise.resolve(null)),
      dispatcher: () => dispatcher?.stats() ?? null,
      pool: database.pool,
    },
    options.registry,
  );
  const broadcaster = options.broadcaster;
  const state: ServerState = {
    database,
    store,
    secret: options.secret,
    authenticate: options.authenticate,
    broadcaster: options.broadcaster,
    limits: { requestBytes, messageLength },
    syncUser: createUserSync(() => database.kysely),
    ensureReady,
    ...(broadcaster?.ping ? { checkBroadcaster: cachedCheck(() => broadcaster.ping!({ timeoutMs: 2000 })) } : {}),
    rateLimit: createRateLimitGuard(options.rateLimits, { getClientIp: options.getClientIp, trustProxy: options.trustProxy }),
  };
  const router = createRouter(routes);

  async function handler(request: Request): Promise<Response> {
    const started = performance.now();
    const incomingId = request.headers.get('x-request-id');
    const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    const seen: Seen = { route: 'unmatched', conversationId: undefined };
    const response = await respond(request, requestId, seen);
    const seconds = (performance.now() - started) / 1000;
    // Label by route pattern, never by raw path: ids would make the metric unbounded.
    metrics.observeRequest(request.method, seen.route, response.status, seconds);
    if (response.status === 201 && seen.route === SEND_ROUTE && request.method === 'POST') metrics.messageSent('http');
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
  }

  async function respond(request: Request, requestId: string, seen: Seen): Promise<Response> {
    const cors = corsHeaders(options.cors, request.headers.get('origin'));
    const headers = { ...cors, 'x-request-id': requestId };
    let path = '';
    try {
      const url = new URL(request.url);
      path = stripBasePath(url.pathname, basePath);
      if (request.method === 'OPTIONS') {
        const found = router.match(path);
        if (!found) throw new ApiError('not_found', `no route ${url.pathname}`);
        const preflight = cors['access-control-allow-origin'] ? preflightHeaders(found.allow) : {};
        return new Response(null, { status: 204, headers: { ...headers, ...preflight, allow: found.allow.join(', ') } });
      }
      const matched = router.match(path);
      if (matched) {
        seen.route = matched.route.path;
        seen.conversationId = matched.params.id;
      }
      const route = router.resolve(request.method, path);
      const socketId = request.headers.get('x-socket-id');
      const context: RequestContext = {
        request,
        url,
        state,
        meta: { requestId, socketId: socketId && SOCKET_ID.test(socketId) ? socketId : null },
      };
      const response = await route.handler(context, route.params);
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
      return response;
    } catch (thrown) {
      const error = toApiError(thrown);
      // Outages and bugs go to the log; a missing broadcaster (503 without a cause) is configuration.
      if (error.code === 'internal' || (error.code === 'unavailable' && error.cause !== undefined)) {
        onError(error.cause ?? thrown, { requestId, method: request.method, path });
      }
      return errorResponse(error, headers);
    }
  }

  const api: ChatApi = {
    async upsertUser(user) {
      const id = parseUserId(user.id);
      checkProfile(user.name, user.avatarUrl, (message) => new ApiError('validation_failed', `invalid user; ${message}`));
      await ensureReady();
      return upsertUser(database.kysely, { id, name: user.name, avatarUrl: user.avatarUrl });
    },
    async createConversation(input) {
      const createdBy = parseUserId(input.createdBy);
      const body = apiParse(apiCreateSchema, { participantIds: input.participantIds, title: input.title });
      await ensureReady();
      return createConversation(store, createdBy, body);
    },
    async sendMessage(input) {
      const parsed = apiParse(apiSendSchema, input);
      const senderId = parsed.senderId ?? (parsed.system ? 'system' : undefined);
      if (!senderId) throw new ApiError('validation_failed', 'invalid message; give senderId, or system: true');
      if (parsed.body.length > messageLength) {
        throw new ApiError('validation_failed', `invalid message; messages are at most ${messageLength} characters`);
      }
      await ensureReady();
      const result = await sendMessage(store, {
        conversationId: parsed.conversationId.toLowerCase(),
        senderId,
        body: parsed.body,
        clientId: parsed.clientId ?? null,
        system: parsed.system,
      });
      if (result.created) metrics.messageSent('api');
      return result;
    },
    createUserToken: (userId, tokenOptions) => createUserToken(options.secret, userId, tokenOptions),
    async getConversation(userId, conversationId) {
      await ensureReady();
      if (!z.uuid().safeParse(conversationId).success) return null;
      return getConversation(database, parseUserId(userId), conversationId.toLowerCase());
    },
    async listConversations(userId, listOptions = {}) {
      await ensureReady();
      return listConversations(database, parseUserId(userId), {
        limit: clampLimit(listOptions.limit),
        cursor: listOptions.cursor,
      });
    },
    async listMessages(userId, conversationId, listOptions = {}) {
      await ensureReady();
      if (!z.uuid().safeParse(conversationId).success) return null;
      return listMessages(database, parseUserId(userId), conversationId.toLowerCase(), {
        ...listOptions,
        limit: clampLimit(listOptions.limit),
      });
    },
    async markRead(userId, conversationId, seq) {
      await ensureReady();
      if (!z.uuid().safeParse(conversationId).success) throw new ApiError('not_found', `conversation ${conversationId} not found`);
      return markRead(store, parseUserId(userId), conversationId.toLowerCase(), seq);
    },
  };

  let closed: Promise<void> | null = null;
  return {
    handler,
    api,
    db: database,
    outboxSignal,
    broadcaster: options.broadcaster,
    ready,
    dispatcher,
    async metrics() {
      await ensureReady();
      return { outbox: await outboxMetrics(database) };
    },
    registry: metrics.registry,
    logger,
    storage,
    outbox: {
      failed: (failedOptions) => listFailedEvents(database, failedOptions),
      retry: (target) => retryFailedEvents(database, target),
    },
    close() {
      closed ??= (async () => {
        await ready.catch(() => {});
        // A graceful shutdown delivers what is due first (bounded by closeTimeoutMs).
        await dispatcher?.stop();
        if (ownsDatabase) await database.close();
      })();
      return closed;
    },
  };
}

const apiCreateSchema = z.object({
  participantIds: z.array(userIdSchema).min(1).max(LIMITS.participants - 1),
  title: z.string().trim().min(1).max(LIMITS.titleLength).optional(),
});

const apiSendSchema = z.object({
  conversationId: z.uuid(),
  body: z
    .string()
    .max(LIMITS.messageLength)
    .refine((s) => s.trim().length > 0, 'a message needs some text'),
  senderId: userIdSchema.optional(),
  system: z.boolean().optional(),
  clientId: z.string().min(1).max(128).optional(),
});

function apiParse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, 'input');
  return result.data;
}

function parseUserId(id: string): string {
  const result = userIdSchema.safeParse(id);
  if (!result.success) throw new ApiError('validation_failed', `invalid user id ${JSON.stringify(id)}; ${result.error.issues[0]?.message}`);
  return result.data;
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return LIMITS.pageDefault;
  return Math.max(1, Math.min(LIMITS.pageMax, Math.floor(limit)));
}

function notReady(cause?: unknown): ApiError {
  return new ApiError('unavailable', 'the chat database is not ready (migrations have not run); try again shortly', { cause });
}

function normalizeBasePath(basePath: string | undefined): string {
  if (!basePath || basePath === '/') return '';
  const trimmed = basePath.replace(/\/+$/, '');
  if (!trimmed.startsWith('/')) throw new TypeError(`banter: basePath must start with / (got ${JSON.stringify(basePath)})`);
  return trimmed;
}

function stripBasePath(pathname: string, basePath: string): string {
  if (!basePath) return pathname;
  if (pathname === basePath) return '/';
  if (pathname.startsWith(`${basePath}/`)) return pathname.slice(basePath.length);
  throw new ApiError('not_found', `no route ${pathname}; the chat API is mounted at ${basePath}`);
}
