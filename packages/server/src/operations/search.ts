import { searchResponseSchema } from '@banter/core/protocol';
import { type SearchResponse, searchInputSchema } from '@banter/core/protocol';
import { ApiError } from '../errors/api-error';
import { searchConfigOf } from '../search/config';
import { snippetOf } from '../search/snippet';
import { conversationNotFound, isParticipant } from '../store/conversations';
import { decodeSearchCursor, encodeSearchCursor, searchMessages } from '../store/search';
import { conversationIdOf, userOf } from './conversation-id';
import { defineOperation } from './types';

/**
 * `GET /search?q=&conversationId=&cursor=`: full-text search over the messages the caller may read,
 * best match first, with plain-text snippets and highlight ranges (docs/search.md). No time window.
 */
export const searchMessagesOperation = defineOperation({
  name: 'search',
  summary: 'Full-text search of the messages in your conversations (or one): ranked, paged, with highlighted snippets',
  input: searchInputSchema,
  actors: ['user', 'host'],
  // A search costs more than a read: it takes from the per-user `write` bucket.
  rateLimit: 'write',
  http: { method: 'GET', path: '/search', input: 'query', errors: ['not_found', 'rate_limited'], response: searchResponseSchema },
  async run(ctx, actor, input): Promise<SearchResponse> {
    const userId = userOf(actor).id;
    const cursor = input.cursor === undefined ? undefined : decodeSearchCursor(input.cursor);
    if (cursor === null) {
      throw new ApiError('validation_failed', 'invalid input; cursor: not a cursor of this search', {
        details: [{ path: 'cursor', message: 'not a cursor of this search' }],
      });
    }
    const conversationId = input.conversationId === undefined ? undefined : conversationIdOf(input.conversationId);
    if (conversationId !== undefined && !(await isParticipant(ctx.state.database.kysely, conversationId, userId))) {
      throw conversationNotFound(conversationId);
    }
    const search = ctx.state.search;
    await search?.ready();
    const { hits, hasMore } = await searchMessages(ctx.state.database, {
      userId,
      query: input.q,
      config: search?.config ?? searchConfigOf(undefined),
      conversationId,
      cursor,
      limit: input.limit,
    });
    const last = hits.at(-1);
    return {
      results: hits.map((hit) => ({ message: hit.message, ...snippetOf(hit.marked) })),
      nextCursor: hasMore && last ? encodeSearchCursor(last.cursor) : null,
    };
  },
});
