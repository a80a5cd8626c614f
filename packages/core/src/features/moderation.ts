import { callOf } from '../http';
import { updateConversation } from '../reducer';
import type { BlocksResponse, ReportResponse } from '../protocol/moderation';
import type { Conversation } from '../protocol/schemas';
import type { ClientModeration } from '../types';
import type { ClientContext } from './context';

/**
 * The moderation calls, applied to the store once the server confirms them (no optimism: a refused
 * block must not look done). Loaded on first use, so a client that never blocks pays nothing.
 *
 * @example
 * await client.moderation.mute(conversationId); // the conversation reads muted: no badge
 */
export function createModeration(ctx: ClientContext, insert: (conversation: Conversation) => unknown): ClientModeration {
  const call = callOf(ctx.http, 'client.moderation');
  // Setting a block or a mute to what it is changes nothing, so PUT and DELETE are safe to repeat.
  const conv = (id: string, rest: string) => `/conversations/${encodeURIComponent(id)}${rest}`;
  const setBlocked = async (userId: string, blocked: boolean) => {
    await call(blocked ? 'PUT' : 'DELETE', `/me/blocks/${encodeURIComponent(userId)}`);
    const state = ctx.snapshot();
    // The direct conversation with that user (one per pair, if any) follows at once.
    for (const id of state.conversationOrder) {
      const { conversation } = state.conversations[id]!;
      if (conversation.kind !== 'direct' || !conversation.participants.some((p) => p.user.id === userId)) continue;
      // A block the other made still holds after ours is lifted: the server's copy says.
      if (blocked) ctx.dispatch((s) => updateConversation(s, id, (cs) => ({ ...cs, conversation: { ...cs.conversation, blocked } })));
      else insert(await ctx.http.getConversation(id));
    }
  };
  const setMuted = async (conversationId: string, muted: boolean) => {
    await call(muted ? 'PUT' : 'DELETE', conv(conversationId, '/mute'));
    ctx.dispatch((state) => updateConversation(state, conversationId, (cs) => ({ ...cs, conversation: { ...cs.conversation, muted } })));
  };
  return {
    block: (userId) => setBlocked(userId, true),
    unblock: (userId) => setBlocked(userId, false),
    blocks: async () => (await call<BlocksResponse>('GET', '/me/blocks')).blocks,
    mute: (id) => setMuted(id, true),
    unmute: (id) => setMuted(id, false),
    // One report per message and reporter: a repeat answers the first.
    report: async (id, messageId, reason) =>
      (await call<ReportResponse>('POST', conv(id, `/messages/${encodeURIComponent(messageId)}/reports`), { reason })).report,
  };
}
