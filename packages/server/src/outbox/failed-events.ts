import { sql } from 'kysely';
import type { Database } from '../db/create-database';
import { OUTBOX_NOTIFY_CHANNEL } from './enqueue';

/** A dead letter: an outbox row the dispatcher gave up on after `maxAttempts`. */
export interface FailedEvent {
  id: number;
  conversationId: string | null;
  channel: string;
  event: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deadAt: Date;
}

/**
 * Dead letters, newest first (backs `banter outbox failed`).
 *
 * @example
 * ```ts
 * for (const event of await listFailedEvents(chat.db, { limit: 20 })) {
 *   console.log(event.id, event.event, event.channel, event.lastError);
 * }
 * ```
 */
export async function listFailedEvents(database: Database, options: { limit?: number } = {}): Promise<FailedEvent[]> {
  const limit = Math.max(1, Math.min(1000, Math.floor(options.limit ?? 50)));
  const rows = await database.kysely
    .selectFrom('outbox')
    .select(['id', 'conversation_id', 'channel', 'event', 'attempts', 'last_error', 'created_at', 'dead_at'])
    .where('dead_at', 'is not', null)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    conversationId: row.conversation_id,
    channel: row.channel,
    event: row.event,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: new Date(row.created_at as Date | string),
    deadAt: new Date(row.dead_at as Date | string),
  }));
}

/** Which dead letters to replay: every one, or one by id (a number or its decimal string, as typed on a CLI). */
export type RetryFailedEventsTarget = { all: true } | { id: number | string };

/**
 * Put dead letters back in the queue with a fresh attempt budget, due now (backs
 * `banter outbox retry [--all | ID]`). Returns how many rows were requeued (0: no such dead letter).
 * On PostgreSQL it NOTIFYs, so running dispatchers, even in other processes, deliver them at once.
 * A replayed event may arrive after later events of its conversation: clients order by `seq`.
 *
 * @example
 * ```ts
 * await retryFailedEvents(chat.db, { all: true });
 * await retryFailedEvents(chat.db, { id: '42' });
 * ```
 */
export async function retryFailedEvents(database: Database, target: RetryFailedEventsTarget): Promise<number> {
  let id: number | null = null;
  if (!('all' in target && target.all === true)) {
    const raw = 'id' in target ? target.id : undefined;
    id = typeof raw === 'string' && /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : typeof raw === 'number' ? raw : Number.NaN;
    if (!Number.isSafeInteger(id) || id <= 0) {
      throw new TypeError(`banter: invalid outbox event id ${JSON.stringify(raw)}; give a positive integer, or { all: true }`);
    }
  }
  return database.kysely.transaction().execute(async (trx) => {
    let update = trx
      .updateTable('outbox')
      .set({ dead_at: null, attempts: 0, next_attempt_at: sql`now()` })
      .where('dead_at', 'is not', null)
      .where('delivered_at', 'is', null);
    if (id !== null) update = update.where('id', '=', id);
    const result = await update.executeTakeFirst();
    const count = Number(result.numUpdatedRows ?? 0);
    if (count > 0 && database.dialect === 'postgres') {
      await sql`select pg_notify(${OUTBOX_NOTIFY_CHANNEL}, current_schema())`.execute(trx);
    }
    return count;
  });
}
