import { z } from 'zod';
import type { User } from './schemas';

/**
 * People search (issue 21): `GET /users?q=&limit=` finds the host's users to start a conversation
 * with ("New message" in the widget). Only `id`, `name` and `avatarUrl` of each, the caller and
 * users either side blocked left out.
 */

/** Characters in one query, and users per answer. */
export const USER_SEARCH_LIMITS = { queryLength: 100, limitDefault: 10, limitMax: 25 } as const;

export const userSearchInputSchema = z.strictObject({
  q: z
    .string()
    .max(USER_SEARCH_LIMITS.queryLength, `user searches are at most ${USER_SEARCH_LIMITS.queryLength} characters`)
    .refine((s) => s.trim().length > 0, 'a user search needs some text'),
  limit: z.coerce.number().int().min(1).max(USER_SEARCH_LIMITS.limitMax).default(USER_SEARCH_LIMITS.limitDefault),
});
export type UserSearchInput = z.input<typeof userSearchInputSchema>;

/** `GET /users`: best match first (a name that starts with the query, then by name). */
export interface UserSearchResponse {
  users: User[];
}
