import { MAX_PINS, type Message } from '@banter/core/protocol';
import { sql } from 'kysely';
import { ApiError } from '../errors/api-error';
import { type RequestMeta, type StoreContext, transact } from './context';
import { conversationNotFound } from './conversations';
import { toMessage } from './map';
import { emitMessageUpdated, lockMessage, type MessageRef } from './message-lifecycle';
import { participantRole } from './participants';
import { withQuotes } from './quotes';

/**
 * Pin (`pinned: true`) or unpin a message. In a group only admins may; in a direct conversation
 * (no admins) either participant. A deleted message cannot be pinned (409), at most `MAX_PINS`
 * per conversation (422). A change bumps the message's `version` and sends `message.updated`, so
 * clients apply it in order like an edit; a repeat changes nothing.
 */
export async function setPinned(
  ctx: StoreContext,
  ref: MessageRef,
  pinned: boolean,
  meta: RequestMeta = {},
): Promise<{ message: Message }> {
  return transact(ctx, async (trx, emit) => {
    // Conversation row first (the lock order of a delete): the pin count below cannot race another pin.
    const conversation = await trx
      .selectFrom('conversations')
      .select('kind')
      .where('id', '=', ref.conversationId)
      .forUpdate()
      .executeTakeFirst();
    const role = conversation ? await participantRole(trx, ref.conversationId, ref.userId) : null;
    if (!conversation || !role) throw conversationNotFound(ref.conversationId);
    const row = await lockMessage(trx, ref);
    if (conversation.kind === 'group' && role !== 'admin') {
      throw new ApiError('forbidden', 'only an admin of the conversation can pin or unpin messages', { details: { reason: 'admin_only' } });
    }
    if (pinned === (row.pinned_at !== null)) return { message: (await withQuotes(trx, [toMessage(row)]))[0]! };
    if (pinned) {
      if (row.deleted_at !== null) throw new ApiError('conflict', 'a deleted message cannot be pinned');
      const { n } = await trx
        .selectFrom('messages')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('conversation_id', '=', ref.conversationId)
        .where('pinned_at', 'is not', null)
        .executeTakeFirstOrThrow();
      if (n >= MAX_PINS) throw new ApiError('unprocessable', `a conversation takes at most ${MAX_PINS} pinned messages`);
    }
    const updated = await trx
      .updateTable('messages')
      .set({
        pinned_at: pinned ? sql`date_trunc('milliseconds', clock_timestamp())` : null,
        pinned_by: pinned ? ref.userId : null,
        version: sql`version + 1`,
      })
      .where('id', '=', row.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { message: await emitMessageUpdated(trx, emit, ref, updated, meta) };
  });
}

/** A conversation's pinned messages, latest pinned first; 404 when the caller is not in it. */
export async function listPins(ctx: StoreContext, userId: string, conversationId: string): Promise<Message[]> {
  const db = ctx.database.kysely;
  if (!(await participantRole(db, conversationId, userId))) throw conversationNotFound(conversationId);
  const rows = await db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('pinned_at', 'is not', null)
    .orderBy('pinned_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(MAX_PINS)
    .execute();
  return rows.map(toMessage);
}
