import { EVENTS, type ReadResponse, userChannel } from '@banter/core/protocol';
import { sql } from 'kysely';
import { conversationNotFound, conversationUpdatedEvents, loadConversationBases } from './conversations';
import { hostEvent } from '../outbox/host-event';
import { type RequestMeta, type StoreContext, transact } from './context';

/**
 * Move the reader's cursor forward (never back; clamped to the last seq) and recount their unread
 * messages from others after it. Broadcasts `conversation.read` to the others and
 * `conversation.updated` to the reader's other tabs, only when the cursor moved.
 */
export async function markRead(
  ctx: StoreContext,
  userId: string,
  conversationId: string,
  seq: number | undefined,
  meta: RequestMeta = {},
): Promise<ReadResponse> {
  return transact(ctx, async (trx, emit) => {
    // A share lock on the conversation waits for in-flight sends, so the recount cannot miss one
    // whose +1 lands after it (sends take this row's exclusive lock first).
    const conversation = await trx
      .selectFrom('conversations')
      .select('last_seq')
      .where('id', '=', conversationId)
      .forShare()
      .executeTakeFirst();
    const participant = conversation
      ? await trx
          .selectFrom('participants')
          .select(['last_read_seq', 'unread_count'])
          .where('conversation_id', '=', conversationId)
          .where('user_id', '=', userId)
          .forUpdate()
          .executeTakeFirst()
      : undefined;
    if (!conversation || !participant) throw conversationNotFound(conversationId);

    const target = Math.min(seq ?? conversation.last_seq, conversation.last_seq);
    if (target <= participant.last_read_seq) {
      return { conversationId, lastReadSeq: participant.last_read_seq, unreadCount: participant.unread_count };
    }
    const { unread } = await trx
      .selectFrom('messages')
      .select(sql<number>`count(*)::int`.as('unread'))
      .where('conversation_id', '=', conversationId)
      .where('seq', '>', target)
      .where('sender_id', '<>', userId)
      // A deleted message is not waiting to be read.
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('participants')
      .set({ last_read_seq: target, unread_count: unread })
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', userId)
      .execute();

    const base = (await loadConversationBases(trx, [conversationId])).get(conversationId)!;
    const others = base.participants.map((p) => p.participant.user_id).filter((id) => id !== userId);
    emit(
      others.map((other) => ({
        conversationId,
        channel: userChannel(other),
        event: EVENTS.conversationRead,
        payload: { conversationId, userId, lastReadSeq: target },
        requestId: meta.requestId ?? null,
      })),
    );
    emit(conversationUpdatedEvents(base, meta, [userId]));
    // For the host: what the user has read (the realtime copy goes only to the others).
    emit([hostEvent('message.read', { conversationId, userId, lastReadSeq: target }, { conversationId, requestId: meta.requestId })]);
    return { conversationId, lastReadSeq: target, unreadCount: unread };
  });
}
