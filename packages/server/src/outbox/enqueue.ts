import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/types';
import type { ClaimedRow } from './queries';

/** One realtime event to deliver after commit: one row per channel. */
export interface OutboxEventInput {
  /** Ordering key: events of one conversation are delivered in id order. */
  conversationId: string | null;
  channel: string;
  event: string;
  payload: unknown;
  /** The sender's own socket, excluded from delivery when known. */
  socketId?: string | null;
  /** Carried from the HTTP request for logs. */
  requestId?: string | null;
}

/** The channel other instances LISTEN on to wake their dispatcher. */
export const OUTBOX_NOTIFY_CHANNEL = 'banter_outbox';

/**
 * Write events to the outbox inside the caller's transaction, so they exist if and only if the
 * change they describe committed. On PostgreSQL it also NOTIFYs `banter_outbox` (sent at commit, with
 * the schema as payload) to wake dispatchers of other instances. Returns the rows written, for the
 * dispatcher's fast path once the transaction committed.
 *
 * @example
 * ```ts
 * await db.kysely.transaction().execute(async (trx) => {
 *   // ... insert the message ...
 *   await enqueueEvents(trx, [{ conversationId, channel: userChannel('u1'), event: 'message.created', payload }], 'postgres');
 * });
 * outboxSignal.notify();
 * ```
 */
export async function enqueueEvents(
  trx: Transaction<DB>,
  events: OutboxEventInput[],
  dialect: 'postgres' | 'pglite' = 'postgres',
): Promise<ClaimedRow[]> {
  if (events.length === 0) return [];
  const rows = await trx
    .insertInto('outbox')
    .values(
      events.map((e) => ({
        conversation_id: e.conversationId,
        channel: e.channel,
        event: e.event,
        payload: JSON.stringify(e.payload),
        socket_id: e.socketId ?? null,
        request_id: e.requestId ?? null,
      })),
    )
    .returning(['id', 'conversation_id', 'channel', 'event', 'payload', 'socket_id', 'request_id', 'attempts'])
    .execute();
  // PGlite has no other instances to wake; the in-process signal is enough there. The payload names
  // the schema, so two Banter installations in one database do not wake each other.
  if (dialect === 'postgres') await sql`select pg_notify(${OUTBOX_NOTIFY_CHANNEL}, current_schema())`.execute(trx);
  return rows.map((row) => ({ ...row, id: Number(row.id) }));
}
