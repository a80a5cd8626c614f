import { BanterError } from '../errors';
import type { HttpApi } from '../http';
import { updateConversation } from '../reducer';
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
  const http = ctx.http;
  const need = <K extends keyof HttpApi>(name: K): NonNullable<HttpApi[K]> => {
    const call = http[name];
    if (!call) throw new BanterError('validation_failed', `client.moderation needs an HttpApi with ${name}`);
    return call.bind(http) as NonNullable<HttpApi[K]>;
  };
  const setBlocked = async (userId: string, blocked: boolean) => {
    await need('setBlocked')(userId, blocked);
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
    await need('setMuted')(conversationId, muted);
    ctx.dispatch((state) => updateConversation(state, conversationId, (cs) => ({ ...cs, conversation: { ...cs.conversation, muted } })));
  };
  return {
    block: (userId) => setBlocked(userId, true),
    unblock: (userId) => setBlocked(userId, false),
    blocks: async () => (await need('listBlocks')()).blocks,
    mute: (id) => setMuted(id, true),
    unmute: (id) => setMuted(id, false),
    report: async (id, messageId, reason) => (await need('reportMessage')(id, messageId, reason)).report,
  };
}
