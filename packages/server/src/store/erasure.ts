import { EVENTS, USER_CHANNEL_PREFIX } from '@banter/core/protocol';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../db/types';
import type { Emit } from './context';
import { queueFileDeletions } from './file-deletions';
import { uploadKeys } from './uploads';

/** The sender every tombstoned message points at: no user id of the erased person survives. */
export const ERASED_SENDER_ID = 'banter-deleted-user';

export interface EraseUserOptions {
  /**
   * `delete` (default): the user's messages are removed. `tombstone`: each becomes an empty,
   * deleted message of "deleted user", so the others' conversations keep every seq.
   */
  mode?: 'delete' | 'tombstone';
  /** The erasure record's id, carried by the `user.erased` events. */
  erasureId?: string;
}

// 100 conversation ids (~4 KB) per user.erased event: well under the realtime services' 10 KB.
const ERASED_EVENT_CHUNK = 100;

/** What one erasure removed, by kind (no ids: the report may be kept as a record). */
export interface ErasureCounts {
  messages: number;
  participants: number;
  uploads: number;
  outbox: number;
  conversationsDeleted: number;
  users: number;
}

/**
 * Remove every row that carries `userId`, in the caller's transaction. Files are queued for
 * deletion in the same transaction (file_deletions), so a storage outage retries instead of leaving
 * orphans; the others' unread counters are recomputed, and each remaining participant of a touched
 * conversation gets a bounded `conversation.updated` and a `user.erased` (no user id in either).
 *
 * @example
 * ```ts
 * await transact(store, (trx, emit) => eraseUserRows(trx, emit, 'alice', { mode: 'tombstone' }));
 * ```
 */
export async function eraseUserRows(
  trx: Transaction<DB>,
  emit: Emit,
  userId: string,
  options: EraseUserOptions = {},
): Promise<{ counts: ErasureCounts; fileKeys: string[] }> {
  const mode = options.mode ?? 'delete';
  const touched = (
    await sql<{ id: string }>`select conversation_id as id from participants where user_id = ${userId}`.execute(trx)
  ).rows.map((row) => row.id);

  // Their uploads, and any upload attached to their messages, with both stored variants.
  const uploads = (
    await sql<{ id: string; conversation_id: string }>`
      delete from uploads u
      where u.uploader_id = ${userId}
         or u.message_id in (select id from messages where sender_id = ${userId})
      returning u.id, u.conversation_id`.execute(trx)
  ).rows;
  const fileKeys = uploads.flatMap((row) => Object.values(uploadKeys(row)));
  await queueFileDeletions(trx, fileKeys);

  let messages: number;
  if (mode === 'tombstone') {
    await sql`insert into users (id, name) values (${ERASED_SENDER_ID}, 'Deleted user') on conflict (id) do nothing`.execute(trx);
    const result = await sql`
      update messages set sender_id = ${ERASED_SENDER_ID}, body = '', client_id = null, edited_at = null,
                          deleted_at = coalesce(deleted_at, date_trunc('milliseconds', clock_timestamp()))
      where sender_id = ${userId}`.execute(trx);
    messages = Number(result.numAffectedRows ?? 0);
  } else {
    const result = await sql`delete from messages where sender_id = ${userId}`.execute(trx);
    messages = Number(result.numAffectedRows ?? 0);
  }

  // Others' messages keep their text but no longer name them as mentioned.
  await sql`update messages set mentions = array_remove(mentions, ${userId}::text) where ${userId}::text = any(mentions)`.execute(trx);
  const participants = Number((await sql`delete from participants where user_id = ${userId}`.execute(trx)).numAffectedRows ?? 0);
  // The direct pair names both users; the conversation stays the other one's, under a key of no one.
  await sql`
    update conversations set direct_key = 'erased ' || id::text
    where kind = 'direct' and id = any(${touched}::uuid[])`.execute(trx);
  await sql`update conversations set created_by = null where created_by = ${userId}`.execute(trx);
  // A conversation nobody is left in is nobody's: it goes, with whatever it held.
  const emptied = (
    await sql<{ id: string }>`
      delete from conversations c
      where c.id = any(${touched}::uuid[])
        and not exists (select 1 from participants p where p.conversation_id = c.id)
      returning c.id`.execute(trx)
  ).rows.map((row) => row.id);

  // Undelivered or delivered, an outbox row that names them (channel or any string in its payload) goes.
  const outbox = Number(
    (
      await sql`
        delete from outbox
        where channel = ${USER_CHANNEL_PREFIX + userId}
           or jsonb_path_exists(payload, '$.** ? (@ == $id)', jsonb_build_object('id', ${userId}::text))`.execute(trx)
    ).numAffectedRows ?? 0,
  );
  // Webhook deliveries copy outbox payloads (and so message bodies), pending emails and pushes
  // carry previews: the same rule applies.
  for (const table of ['webhook_deliveries', 'notification_deliveries']) {
    await sql`
      delete from ${sql.table(table)}
      where jsonb_path_exists(payload, '$.** ? (@ == $id)', jsonb_build_object('id', ${userId}::text))`.execute(trx);
  }

  const remaining = touched.filter((id) => !emptied.includes(id));
  await recomputeUnread(trx, remaining);
  const users = Number((await sql`delete from users where id = ${userId}`.execute(trx)).numAffectedRows ?? 0);

  const others = (
    await sql<{ conversation_id: string; user_id: string }>`
      select conversation_id, user_id from participants where conversation_id = any(${remaining}::uuid[])
      order by conversation_id, user_id`.execute(trx)
  ).rows;
  emit(
    others.map((row) => ({
      conversationId: row.conversation_id,
      channel: USER_CHANNEL_PREFIX + row.user_id,
      event: EVENTS.conversationUpdated,
      payload: { conversationId: row.conversation_id },
    })),
  );
  // One user.erased per person who shared a conversation with them, in chunks that keep it small.
  const shared = new Map<string, string[]>();
  for (const row of others) shared.set(row.user_id, [...(shared.get(row.user_id) ?? []), row.conversation_id]);
  for (const [recipient, conversationIds] of shared) {
    for (let i = 0; i < conversationIds.length; i += ERASED_EVENT_CHUNK) {
      emit([
        {
          conversationId: null,
          channel: USER_CHANNEL_PREFIX + recipient,
          event: EVENTS.userErased,
          payload: { erasureId: options.erasureId ?? null, conversationIds: conversationIds.slice(i, i + ERASED_EVENT_CHUNK) },
        },
      ]);
    }
  }
  return {
    counts: { messages, participants, uploads: uploads.length, outbox, conversationsDeleted: emptied.length, users },
    fileKeys,
  };
}

/**
 * Unread counters from the messages themselves, for participants of `conversationIds`: after rows
 * disappear (erasure, retention) an increment can no longer be undone one by one.
 */
export async function recomputeUnread(trx: Transaction<DB>, conversationIds: string[]): Promise<void> {
  if (conversationIds.length === 0) return;
  await sql`
    update participants p
    set unread_count = (
      select count(*) from messages m
      where m.conversation_id = p.conversation_id and m.seq > p.last_read_seq
        and m.sender_id <> p.user_id and m.deleted_at is null)
    where p.conversation_id = any(${conversationIds}::uuid[])`.execute(trx);
}
