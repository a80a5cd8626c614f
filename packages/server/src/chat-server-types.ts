import type { RetentionSettings } from './ownership/wiring';
import type { SearchOptions, SearchUsers } from './search/wiring';
import type { Registry } from 'prom-client';
import type { Authenticate } from './auth/authenticate';
import type { Database, DatabaseOptions } from './db/create-database';
import type { EditPolicy } from './store/edit-policy';
import type { CorsOptions } from './http/cors';
import type { ClientIpOptions } from './http/rate-limit';
import type { RateLimitOptions } from './http/rate-limit-guard';
import type { FileStorage } from './files/storage';
import type { UploadLimits } from './files/uploads';
import type { BanterLogger } from './observability/logger';
import type { ChatApi } from './operations/api';
import type { OutboxDispatcher, OutboxDispatcherOptions } from './outbox/dispatcher';
import type { FailedEvent, RetryFailedEventsTarget } from './outbox/failed-events';
import type { OutboxMetrics } from './outbox/metrics';
import type { OutboxSignal } from './outbox/signal';
import type { Broadcaster } from './realtime/broadcaster';
import type { BeforeSend } from './moderation/before-send';
import type { WebhooksOption } from './webhooks/config';
import type { ChatWebhooks } from './webhooks/wiring';
import type { NotificationsOption } from './notifications/config';
import type { MetadataSchemas } from './operations/metadata';
import type { ChatNotifications } from './notifications/wiring';

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
  /**
   * What users may do to a message they sent. `edit`: `false` turns editing off, `{ withinMinutes }`
   * allows it only that long after the send (default: any time). Refused edits answer 403
   * `forbidden` with `details.reason` `edit_disabled` or `edit_window_closed` (docs/server.md).
   */
  messages?: { edit?: EditPolicy };
  /**
   * zod schemas for the host's own `metadata` on messages (send, edit) and conversations (create,
   * update): a value that fails one is refused 422 `unprocessable` (`details.reason`
   * `metadata_invalid`, with the issues) and nothing is written; the schema's output is stored.
   * Without a schema any JSON object is taken. At most 4 KB as JSON (`metadata_too_large`).
   * `InferChatMetadata<typeof schemas>` types the client (docs/client.md, "Typed metadata").
   */
  metadata?: MetadataSchemas;
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
   * Per-user and per-IP limits on every write (sends, new conversations, mark read, channel
   * authorization) and per-IP limits on requests without valid credentials (429 `rate_limited` with
   * Retry-After); in memory, per instance. `false`: none. See docs/security.md.
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
  /** Upload limits: size (default 25 MB), allowed types, pending per user, URL lifetimes (docs/attachments.md). */
  uploads?: UploadLimits;
  /**
   * The host's synchronous policy on every send and edit (profanity filter, links policy): return
   * `{ reject: reason }` (422 with that reason), `{ body }` to store another body (validated like
   * the original), or nothing to keep it. See docs/moderation.md.
   */
  beforeSend?: BeforeSend;
  /** Message retention for the whole app (conversations may set their own); see docs/data-ownership.md. */
  retention?: RetentionSettings;
  /** Full-text search (`GET /search`): the text search configuration, default `simple` (docs/search.md). */
  search?: SearchOptions;
  /**
   * People search, `GET /users?q=` (the widget's "New message"): signed-in users find others to
   * start a conversation with. Default: Banter's users table (everyone synced or signed in, by name
   * or id). A function: the host's own directory (a large one, or who may see whom). `false`: turned
   * off (404). Answers carry only id, name and avatar; never the caller or blocked users (docs/users.md).
   */
  searchUsers?: SearchUsers | false;
  /**
   * The host's webhook endpoints (Standard Webhooks, signed with `whsec_` secrets), or
   * `{ endpoints, ...delivery tuning }`. Default: one from BANTER_WEBHOOK_URL / _SECRET / _EVENTS.
   * URLs are the host's config, never user input (docs/webhooks.md).
   */
  webhooks?: WebhooksOption;
  /**
   * Notifications for people who are away: `notification.due` after `delayMinutes` unread (a host
   * event for webhooks), and optionally email (nodemailer) and Web Push (docs/notifications.md).
   * Default: BANTER_NOTIFY_DELAY_MINUTES, BANTER_SMTP_URL / BANTER_EMAIL_FROM, BANTER_VAPID_*.
   */
  notifications?: NotificationsOption;
}

/** What `chat.metrics()` reports. */
export interface ChatMetrics {
  outbox: OutboxMetrics;
}

export interface ChatServer {
  /** Web-standard handler: mount it on any framework (see the adapters). */
  handler(request: Request): Promise<Response>;
  api: ChatApi;
  /** Files queued for removal (erasure, retention): `drain()` removes what is due now; it also runs every 30 s. */
  fileDeletions: { drain(): Promise<number> };
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
  /** Webhook dead letters and delivery logs (`banter webhooks failed` / `retry`). */
  webhooks: ChatWebhooks;
  /** Notifications: run the scheduler or the email/push delivery now (they also poll). */
  notifications: ChatNotifications;
  close(): Promise<void>;
}
