import { assertSecret } from './auth/tokens';
import { editPolicyOf } from './store/edit-policy';
import type { ChatServer, ChatServerOptions } from './chat-server-types';
import { createDatabase, isDatabase } from './db/create-database';
import { createMigrationGate } from './db/migration-gate';
import { normalizeBasePath } from './http/base-path';
import { createHttpResponder } from './http/handler';
import { createRateLimitGuard } from './http/rate-limit-guard';
import { requestLimitsOf } from './http/request-limits';
import { withRequestLog } from './http/request-log';
import { cachedCheck } from './observability/cached-check';
import { createLogger, errorFields } from './observability/logger';
import { createChatServerMetrics } from './observability/metrics';
import { storageFromEnv } from './files/storage-from-env';
import { createUploads } from './files/uploads';
import { createChatApi } from './operations/api';
import { operations } from './operations/index';
import type { ServerState } from './operations/types';
import { listFailedEvents, retryFailedEvents } from './outbox/failed-events';
import { outboxMetrics } from './outbox/metrics';
import { createOutboxSignal } from './outbox/signal';
import { createOutboxDelivery } from './outbox/wiring';
import { createOwnership } from './ownership/wiring';
import { createSearch } from './search/wiring';
import { createModeration } from './moderation/wiring';
import type { StoreContext } from './store/context';
import { createUserSync } from './store/users';
import { createWebhooks } from './webhooks/wiring';
import { createNotifications } from './notifications/wiring';

export type { ChatApi } from './operations/api';
export type { ChatMetrics, ChatServer, ChatServerOptions } from './chat-server-types';

/**
 * Create Banter's chat server: storage, the HTTP API as one `Request -> Response` handler, and an
 * in-process `api` for the host's backend. Both run the operations of `operations/`, so a rule
 * cannot differ between them; this function only wires the parts together.
 *
 * @example
 * ```ts
 * import { createChatServer } from '@banter/server';
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
  const { requestBytes, messageLength } = requestLimitsOf(options.limits);
  const ownsDatabase = !isDatabase(options.database);
  const database = isDatabase(options.database) ? options.database : createDatabase(options.database ?? {});
  const logger = options.logger ?? createLogger();
  const storage = options.storage ?? storageFromEnv(process.env, { dataDir: process.env.BANTER_DATA_DIR?.trim() || '.banter' });
  // Errors always reach the log; a host's onError (alerting, Sentry) is called as well.
  const onError = (error: unknown, context: { requestId?: string; method?: string; path?: string }) => {
    logger.error({ ...context, ...errorFields(error) }, 'internal error');
    options.onError?.(error, context);
  };
  const [reportError, outboxSignal] = [(error: unknown) => onError(error, {}), createOutboxSignal()];
  const store: StoreContext = { database, onEventsCommitted: (rows) => outboxSignal.notify(rows) };
  const broadcaster = options.broadcaster;
  const dispatcher = createOutboxDelivery(options, { database, signal: outboxSignal, logger, reportError });
  const syncUser = createUserSync(() => database.kysely);
  const ownership = createOwnership({ database, storage, retention: options.retention, forgetUser: syncUser.forget, onError: reportError });
  // Background jobs start with the dispatcher, after migrations; the upload sweep only where events are dispatched.
  const webhooks = createWebhooks(options, { database, logger, signal: outboxSignal, onError: reportError });
  const notifications = createNotifications(options, { database, store, logger, onError: reportError });
  const sweepUploads = options.dispatch !== false ? () => uploads.sweep() : null;
  const onMigrated = () => (dispatcher?.start(), webhooks.start(), notifications.start(), ownership.start(() => state, sweepUploads));
  const gate = createMigrationGate(database, { migrate: options.migrate !== false, onMigrated });
  gate.ready.catch(reportError);
  const outboxHealth = () => (gate.migrated() ? outboxMetrics(database) : Promise.resolve(null));
  const metricSources = { outbox: outboxHealth, dispatcher: () => dispatcher?.stats() ?? null, pool: database.pool };
  const metrics = createChatServerMetrics(metricSources, options.registry);
  for (const feature of [webhooks, notifications]) feature.registerMetrics(metrics.registry);
  const uploads = createUploads({ database, storage, secret: options.secret, basePath, limits: options.uploads, logger });
  const state: ServerState = {
    database,
    store,
    storage,
    uploads,
    secret: options.secret,
    authenticate: options.authenticate,
    broadcaster,
    limits: { requestBytes, messageLength },
    messages: { edit: editPolicyOf(options.messages?.edit) },
    metadata: options.metadata,
    syncUser,
    ensureReady: gate.ensureReady,
    ...(broadcaster?.ping ? { checkBroadcaster: cachedCheck(() => broadcaster.ping!({ timeoutMs: 2000 })) } : {}),
    operations,
    onMessageSent: (via) => metrics.messageSent(via),
    ownership: ownership.hooks,
    search: createSearch(database, options, gate.ready, reportError),
    moderation: createModeration(options, () => store),
    notifications: notifications.hooks,
  };
  const rateLimit = createRateLimitGuard(options.rateLimits, { getClientIp: options.getClientIp, trustProxy: options.trustProxy });
  const respond = createHttpResponder({ state, operations, basePath, cors: options.cors, rateLimit, onError });
  let closed: Promise<void> | null = null;
  return {
    handler: withRequestLog(respond, { logger, metrics }),
    api: createChatApi(operations, () => ({ state, meta: {}, via: 'api' })),
    db: database,
    outboxSignal,
    broadcaster,
    ready: gate.ready,
    dispatcher,
    metrics: () => gate.ensureReady().then(async () => ({ outbox: await outboxMetrics(database) })),
    registry: metrics.registry,
    logger,
    storage,
    fileDeletions: { drain: ownership.hooks.drainFileDeletions },
    outbox: {
      failed: (failedOptions) => listFailedEvents(database, failedOptions),
      retry: (target) => retryFailedEvents(database, target),
    },
    webhooks: webhooks.api,
    notifications: notifications.api,
    close() {
      closed ??= (async () => {
        await gate.ready.catch(() => {});
        // A graceful shutdown delivers what is due first (bounded by closeTimeoutMs).
        await Promise.all([dispatcher?.stop(), webhooks.stop(), notifications.stop(), ownership.stop()]);
        if (ownsDatabase) await database.close();
      })();
      return closed;
    },
  };
}
