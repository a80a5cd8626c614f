import { BanterError } from '../errors';
import { LIMITS } from '../protocol/limits';
import type { SearchResponse } from '../protocol/search';
import type { ClientContext } from './context';
import type { ConversationSync } from './conversation-sync';

/** History `reveal` loads at most, in pages of 100: a hit further back is not brought into the store. */
export const REVEAL_MAX_MESSAGES = 5000;

/**
 * Full-text search (`GET /search`) and the jump to a hit: `reveal` loads the conversation's
 * history down to the hit (and a few messages before it, for context), so the store stays
 * contiguous and the view can scroll to it with the messages after it already there.
 *
 * @example
 * const search = createSearch(ctx, conversations);
 * const { results } = await search.search('invoice');
 * await search.reveal(results[0].message.conversationId, results[0].message.seq);
 */
export function createSearch(ctx: ClientContext, conversations: ConversationSync) {
  return {
    search(q: string, options: { conversationId?: string; cursor?: string | null; limit?: number } = {}): Promise<SearchResponse> {
      if (!ctx.http.search) return Promise.reject(new BanterError('unavailable', 'unable to search; this HttpApi has no search()'));
      const { conversationId, cursor, limit } = options;
      return ctx.http.search({
        q,
        ...(conversationId ? { conversationId } : {}),
        ...(cursor ? { cursor } : {}),
        ...(limit ? { limit } : {}),
      });
    },

    /** True once message `seq` (with up to 10 before it) is in the store; false when it is too far back. */
    async reveal(conversationId: string, seq: number): Promise<boolean> {
      await conversations.load(conversationId);
      const want = Math.max(1, seq - 10);
      for (let loaded = 0; ; loaded += LIMITS.pageMax) {
        const cs = ctx.get(conversationId);
        if (!cs || ctx.closed) return false;
        const from = cs.syncedFrom ?? 1;
        if (from <= want) return true;
        if (loaded >= REVEAL_MAX_MESSAGES) return false;
        const page = await ctx.http.listMessages(conversationId, { before: from, limit: LIMITS.pageMax });
        conversations.merge(conversationId, page.messages, page.hasMore ? (page.messages[0]?.seq ?? 1) : 1);
      }
    },
  };
}
