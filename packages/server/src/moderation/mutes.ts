import type { MuteResponse } from '@banter/core/protocol';
import { conversationNotFound, conversationUpdatedEvents, loadConversationBases } from '../store/conversations';
import { type RequestMeta, type StoreContext, transact } from '../store/context';

/**
 * Mute (or unmute) a conversation for one participant: the unread count still counts, but the
 * conversation reads `muted: true`, so clients leave it out of badges and totals and notifications
 * skip it. Their other devices get `conversation.updated`.
 */
export async function setMuted(
  ctx: StoreContext,
  userId: string,
  conversationId: string,
  muted: boolean,
  meta: RequestMeta,
): Promise<MuteResponse> {
  return transact(ctx, async (trx, emit) => {
    const row = await trx
      .updateTable('participants')
      .set({ muted })
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', userId)
      .returning('muted')
      .executeTakeFirst();
    if (!row) throw conversationNotFound(conversationId);
    const base = (await loadConversationBases(trx, [conversationId])).get(conversationId);
    if (base) emit(conversationUpdatedEvents(base, meta, [userId]));
    return { conversationId, muted };
  });
}
