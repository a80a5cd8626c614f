import {
  EVENTS,
  MAX_MESSAGE_EDITS,
  type Message,
  type MessageDeletedEvent,
  type MessageUpdatedEvent,
  type MessageVersion,
  type ParticipantRole,
} from '@banter/core/protocol';
import { sql, type Transaction } from 'kysely';
import type { DB, MessageRow } from '../db/types';
import { ApiError } from '../errors/api-error';
import { payloadFits } from '../outbox/bounded-payload';
import type { EditPolicy } from './edit-policy';
import { type Emit, type RequestMeta, type StoreContext, transact } from './context';
import { conversationNotFound, conversationUpdatedEvents, isParticipant, loadConversationBases } from './conversations';
import { queueFileDeletions } from './file-deletions';
import { iso, toMessage } from './map';
import { participantIds, toEachUser } from './participant-events';
import { participantRole } from './participants';
import { withQuotes } from './quotes';
import { uploadKeys } from './uploads';
import { canonicalJson } from '../util/canonical-json';

export interface MessageRef {
  conversationId: string;
  /** Already a lowercase UUID (the operation answers anything else 404). */
  messageId: string;
  /** The user acting. */
  userId: string;
  /** The host moderating (system actor): any message, no participant check (only deleteMessage takes it). */
  moderator?: boolean;
}

export const messageNotFound = (id: string) => new ApiError('not_found', `message ${id} not found`);

/**
 * The message, locked for update, after the checks every change shares: the caller is a
 * participant (else 404 for the conversation) and the message is in it (else 404).
 */
export async function lockMessage(trx: Transaction<DB>, ref: MessageRef): Promise<MessageRow> {
  if (!ref.moderator && !(await isParticipant(trx, ref.conversationId, ref.userId))) throw conversationNotFound(ref.conversationId);
  const row = await trx
    .selectFrom('messages')
    .selectAll()
    .where('id', '=', ref.messageId)
    .where('conversation_id', '=', ref.conversationId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw messageNotFound(ref.messageId);
  return row;
}

function checkEditPolicy(policy: EditPolicy, row: MessageRow): void {
  if (policy === false) {
    throw new ApiError('forbidden', 'editing messages is turned off on this server', { details: { reason: 'edit_disabled' } });
  }
  const minutes = policy.withinMinutes;
  if (minutes !== undefined && Date.now() - new Date(row.created_at).getTime() > minutes * 60_000) {
    throw new ApiError('forbidden', `messages can be edited only within ${minutes} minutes of sending`, {
      details: { reason: 'edit_window_closed', withinMinutes: minutes },
    });
  }
}

/**
 * Edit the body (and the metadata, when given) of one's own message: an old body becomes a row of
 * `message_versions` and the message gets `editedAt`; any change takes the next `version`, and each
 * participant gets `message.updated`. The same body and metadata again change nothing (a retried PATCH).
 *
 * @example
 * ```ts
 * const { message } = await editMessage(ctx, { conversationId, messageId, userId: 'alice' }, { body: 'fixed' }, {});
 * ```
 */
export async function editMessage(
  ctx: StoreContext,
  ref: MessageRef,
  change: { body: string; metadata?: Record<string, unknown> },
  policy: EditPolicy,
  meta: RequestMeta = {},
): Promise<{ message: Message }> {
  return transact(ctx, async (trx, emit) => {
    const row = await lockMessage(trx, ref);
    // Another's message: 403 (the caller can read it, so it is no secret that it exists).
    if (row.sender_id !== ref.userId) throw new ApiError('forbidden', 'only the author can edit a message');
    if (row.deleted_at !== null) throw new ApiError('conflict', 'a deleted message cannot be edited');
    checkEditPolicy(policy, row);
    const { body, metadata } = change;
    // jsonb reorders keys: compared with sorted keys, so a retried PATCH changes nothing.
    const newMetadata = metadata !== undefined && canonicalJson(metadata) !== canonicalJson(row.metadata);
    if (row.body === body && !newMetadata) return { message: toMessage(row) };
    if (row.version > MAX_MESSAGE_EDITS) {
      throw new ApiError('unprocessable', `a message can be edited at most ${MAX_MESSAGE_EDITS} times`);
    }
    if (row.body !== body) {
      await trx
        .insertInto('message_versions')
        .values({ message_id: row.id, version: row.version, body: row.body, created_at: row.edited_at ?? row.created_at })
        .execute();
    }
    const updated = await trx
      .updateTable('messages')
      .set({
        body,
        ...(row.body !== body ? { edited_at: sql`date_trunc('milliseconds', clock_timestamp())` } : {}),
        // As JSON text: both drivers pass it the same way (store/messages.ts does the same).
        ...(newMetadata ? { metadata: sql<Record<string, unknown>>`${JSON.stringify(metadata)}::jsonb` } : {}),
        version: sql`version + 1`,
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { message: await emitMessageUpdated(trx, emit, ref, updated, meta) };
  });
}

/**
 * `message.updated` (an edit, a pin) to everyone in the conversation, carrying the message when it
 * fits the payload bound (else ids and version: clients fetch it); the message as read.
 */
export async function emitMessageUpdated(
  trx: Transaction<DB>,
  emit: Emit,
  ref: MessageRef,
  updated: MessageRow,
  meta: RequestMeta,
): Promise<Message> {
  const [message] = await withQuotes(trx, [toMessage(updated)]);
  const bare: MessageUpdatedEvent = {
    conversationId: ref.conversationId,
    messageId: updated.id,
    seq: updated.seq,
    version: updated.version,
  };
  const full: MessageUpdatedEvent = { ...bare, message: message! };
  const userIds = await participantIds(trx, ref.conversationId);
  emit(toEachUser(ref.conversationId, userIds, EVENTS.messageUpdated, payloadFits(full) ? full : bare, ref.userId, meta));
  return message!;
}

/** Whether a participant of `role` may delete `row`: its author, or an admin of the conversation. */
export function mayDelete(row: Pick<MessageRow, 'sender_id'>, userId: string, role: ParticipantRole | null): boolean {
  return row.sender_id === userId || role === 'admin';
}

/**
 * Delete a message for everyone: the row stays (seq stays gapless) with body '' and `deletedAt`;
 * earlier versions are erased and its attachments' rows deleted, their files queued in
 * `file_deletions` in the same transaction (a storage outage retries, never orphans). Those
 * who had not read it get one unread less. Each participant gets `message.deleted` and
 * `conversation.updated` (their unread count, and the last message when it was that one).
 * Deleting a deleted message again answers it as it is.
 */
export async function deleteMessage(ctx: StoreContext, ref: MessageRef, meta: RequestMeta = {}): Promise<{ message: Message }> {
  return transact(ctx, async (trx, emit) => {
    // The conversation row first, like a send and a mark-read take it, so the unread counters
    // below cannot race them (and the lock order stays conversation -> message -> participants).
    await trx.selectFrom('conversations').select('id').where('id', '=', ref.conversationId).forUpdate().executeTakeFirst();
    const row = await lockMessage(trx, ref);
    if (!ref.moderator) {
      const role = await participantRole(trx, ref.conversationId, ref.userId);
      if (!mayDelete(row, ref.userId, role)) {
        throw new ApiError('forbidden', 'only the author or an admin of the conversation can delete a message');
      }
    }
    if (row.deleted_at !== null) return { message: toMessage(row) };
    const deleted = await trx
      .updateTable('messages')
      .set({
        body: '',
        deleted_at: sql`date_trunc('milliseconds', clock_timestamp())`,
        version: sql`version + 1`,
        // A deleted message is no longer pinned, and keeps no host data.
        pinned_at: null,
        pinned_by: null,
        metadata: null,
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx.deleteFrom('message_versions').where('message_id', '=', row.id).execute();
    await trx.deleteFrom('message_reactions').where('message_id', '=', row.id).execute();
    const uploads = await trx.deleteFrom('uploads').where('message_id', '=', row.id).returning(['id', 'conversation_id']).execute();
    await queueFileDeletions(
      trx,
      uploads.flatMap((upload) => Object.values(uploadKeys(upload))),
    );
    // Unread counts count messages from others after one's cursor (store/read.ts recounts the same way).
    await trx
      .updateTable('participants')
      .set({ unread_count: sql`greatest(unread_count - 1, 0)` })
      .where('conversation_id', '=', ref.conversationId)
      .where('user_id', '<>', row.sender_id)
      .where('last_read_seq', '<', row.seq)
      .execute();
    const payload: MessageDeletedEvent = {
      conversationId: ref.conversationId,
      messageId: row.id,
      seq: row.seq,
      version: deleted.version,
      deletedAt: iso(deleted.deleted_at!),
    };
    const base = (await loadConversationBases(trx, [ref.conversationId])).get(ref.conversationId)!;
    const userIds = base.participants.map((p) => p.participant.user_id).sort();
    emit(toEachUser(ref.conversationId, userIds, EVENTS.messageDeleted, payload, ref.userId, meta));
    emit(conversationUpdatedEvents(base, meta));
    return { message: (await withQuotes(trx, [toMessage(deleted)]))[0]! };
  });
}

/** Every version of a message, oldest first, the current one last; none for a deleted message. */
export async function listVersions(ctx: StoreContext, ref: MessageRef): Promise<MessageVersion[]> {
  const db = ctx.database.kysely;
  if (!(await isParticipant(db, ref.conversationId, ref.userId))) throw conversationNotFound(ref.conversationId);
  const row = await db
    .selectFrom('messages')
    .selectAll()
    .where('id', '=', ref.messageId)
    .where('conversation_id', '=', ref.conversationId)
    .executeTakeFirst();
  if (!row) throw messageNotFound(ref.messageId);
  if (row.deleted_at !== null) return [];
  const earlier = await db
    .selectFrom('message_versions')
    .select(['version', 'body', 'created_at'])
    .where('message_id', '=', row.id)
    .orderBy('version')
    .execute();
  const current = { version: row.version, body: row.body, created_at: row.edited_at ?? row.created_at };
  return [...earlier, current].map((v) => ({ version: v.version, body: v.body, createdAt: iso(v.created_at) }));
}
