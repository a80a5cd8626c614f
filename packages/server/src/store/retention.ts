import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/types';
import { recomputeUnread } from './erasure';
import { queueFileDeletions } from './file-deletions';
import { uploadKeys } from './uploads';

export interface RetentionBatchInput {
  /** The app's retention in days; null: only conversations with their own `retention_days`. */
  appDays: number | null;
  /** One conversation only. */
  conversationId?: string;
  batchSize: number;
}

/**
 * Delete one bounded batch of messages past their retention, in the caller's (short) transaction:
 * the oldest first, rows another batch holds skipped (`skip locked`), their uploads' files queued
 * for deletion, and the touched conversations' unread counters recomputed. Returns how many
 * messages went; fewer than `batchSize` means nothing more is due.
 *
 * @example
 * ```ts
 * const n = await transact(store, (trx) => deleteExpiredBatch(trx, { appDays: 30, batchSize: 500 }));
 * ```
 */
export async function deleteExpiredBatch(trx: Transaction<DB>, input: RetentionBatchInput): Promise<number> {
  const doomed = (
    await sql<{ id: string; conversation_id: string }>`
      select m.id, m.conversation_id
      from messages m join conversations c on c.id = m.conversation_id
      where m.created_at < now() - make_interval(days => coalesce(c.retention_days, ${input.appDays}::integer))
        ${input.conversationId ? sql`and m.conversation_id = ${input.conversationId}::uuid` : sql``}
      order by m.created_at
      limit ${input.batchSize}
      for update of m skip locked`.execute(trx)
  ).rows;
  if (doomed.length === 0) return 0;
  const ids = doomed.map((row) => row.id);
  const uploads = (
    await sql<{ id: string; conversation_id: string }>`
      delete from uploads where message_id = any(${ids}::uuid[]) returning id, conversation_id`.execute(trx)
  ).rows;
  await queueFileDeletions(
    trx,
    uploads.flatMap((row) => Object.values(uploadKeys(row))),
  );
  await sql`delete from messages where id = any(${ids}::uuid[])`.execute(trx);
  await recomputeUnread(trx, [...new Set(doomed.map((row) => row.conversation_id))]);
  return doomed.length;
}

/** Set (or clear, with null) one conversation's own retention. False when there is no such conversation. */
export async function setConversationRetention(trx: Transaction<DB>, conversationId: string, days: number | null): Promise<boolean> {
  const result = await trx.updateTable('conversations').set({ retention_days: days }).where('id', '=', conversationId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
