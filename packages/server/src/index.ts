export { createDatabase, migrations, migrationNames } from './db/index';
export type { Database, DatabaseOptions, MigrationStatus } from './db/index';
export type { DB, UserRow, ConversationRow, ParticipantRow, MessageRow, OutboxRow } from './db/types';
export { enqueueEvents, OUTBOX_NOTIFY_CHANNEL } from './outbox/enqueue';
export type { OutboxEventInput } from './outbox/enqueue';
export { createOutboxSignal } from './outbox/signal';
export type { OutboxSignal } from './outbox/signal';
