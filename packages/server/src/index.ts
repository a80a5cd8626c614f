// Chat server: storage, the HTTP API as one web-standard handler, and in-process calls.
export { createChatServer } from './chat-server';
export type { ChatApi, ChatMetrics, ChatServer, ChatServerOptions } from './chat-server';
export type { InferChatMetadata, MetadataSchemas } from './operations/metadata';
export type { Authenticate } from './auth/authenticate';
export type { CreateUserTokenOptions, Identity } from './auth/tokens';
export { createUserToken, verifyUserToken } from './auth/tokens';
export { ApiError, toApiError } from './errors/api-error';
export { BroadcasterError } from './realtime/broadcaster-error';
export { OutboxDeliveryError } from './outbox/delivery-error';
export { BanterError } from '@banter/core/protocol';
export type { ApiActor } from './operations/api';
export { createLocalStorage, createS3Storage, DEFAULT_ALLOWED_TYPES, StorageConfigError, storageFromEnv } from './files/index';
export type { DirectUpload, DownloadOptions, FileStorage, LocalStorageOptions, S3StorageOptions, WriteOptions } from './files/index';
export type { CorsOptions } from './http/cors';
export { applyServerTimeouts, DEFAULT_SERVER_TIMEOUTS } from './http/node-timeouts';
export type { ServerTimeouts } from './http/node-timeouts';

// Storage.
export { createDatabase, migrations, migrationNames } from './db/index';
export type { Database, DatabaseOptions, MigrationStatus } from './db/index';

// Outbox: a dispatcher of its own (a worker), dead letters, delivery health. Row types, the enqueue
// function and the NOTIFY channel are internals: the table's layout may change with any migration.
export { createOutboxSignal } from './outbox/signal';
export type { OutboxSignal } from './outbox/signal';
export { createOutboxDispatcher } from './outbox/dispatcher';
export type { CreateOutboxDispatcherOptions, OutboxDispatcher, OutboxDispatcherOptions, OutboxDispatcherStats } from './outbox/dispatcher';
export { listFailedEvents, retryFailedEvents } from './outbox/failed-events';
export type { FailedEvent, RetryFailedEventsTarget } from './outbox/failed-events';
export { outboxMetrics } from './outbox/metrics';
export type { OutboxMetrics } from './outbox/metrics';

// Realtime delivery (Broadcaster implementations by the relay engineer), so hosts can pass one.
export * from './realtime/index';

// Operability: logs, metrics, health (docs/operations.md). Configuration checks are `banter doctor`.
export * from './observability/index';

// Webhooks to the host's backend: verify what Banter sends (Standard Webhooks).
export * from './webhooks/index';
