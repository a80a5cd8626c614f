import { z } from 'zod';
import { LIMITS } from './limits';
import type { Message } from './schemas';

/**
 * Full-text search over the messages a user may read (issue 16): `GET /search`. Snippets come
 * as plain text plus highlight ranges, never as markup, so a client renders them as text.
 */

/** Characters in one search query, and results per page. */
export const SEARCH_LIMITS = { queryLength: 200, pageDefault: 20, pageMax: LIMITS.pageMax } as const;

export const searchQuerySchema = z.strictObject({
  q: z
    .string()
    .max(SEARCH_LIMITS.queryLength, `search queries are at most ${SEARCH_LIMITS.queryLength} characters`)
    .refine((s) => s.trim().length > 0, 'a search needs some text'),
  /** Search one conversation only (the caller must be in it). */
  conversationId: z.string().max(200).optional(),
  /** `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(SEARCH_LIMITS.pageMax).default(SEARCH_LIMITS.pageDefault),
});
export type SearchQuery = z.input<typeof searchQuerySchema>;

export const searchInputSchema = searchQuerySchema;
export type SearchInput = z.input<typeof searchInputSchema>;

/**
 * One hit. `snippet` is an excerpt of the message body (the whole body when short; `…` marks a cut),
 * `highlights` the `[start, end)` ranges of matching words in `snippet`, in UTF-16 code units (as
 * `String.prototype.slice` counts), ascending and never overlapping.
 */
export interface SearchResult {
  message: Message;
  snippet: string;
  highlights: Array<[number, number]>;
}

/** `GET /search`: best match first (ties: newest first). */
export interface SearchResponse {
  results: SearchResult[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}
