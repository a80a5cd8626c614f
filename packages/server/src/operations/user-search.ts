import { type User, type UserSearchResponse, userSchema, userSearchInputSchema } from '@banter/core/protocol';
import { userSearchResponseSchema } from '@banter/core/protocol';
import { ApiError } from '../errors/api-error';
import { excludedUsers, searchStoredUsers } from '../store/user-search';
import { userOf } from './conversation-id';
import { defineOperation } from './types';

/**
 * `GET /users?q=&limit=`: people to start a conversation with (docs/users.md). Signed-in callers
 * only; the host's `searchUsers` or Banter's users table; id, name and avatar only.
 */
export const searchUsers = defineOperation({
  name: 'searchUsers',
  summary: 'Find users to start a conversation with: id, name and avatar only; never the caller or blocked users (404 when turned off)',
  input: userSearchInputSchema,
  actors: ['user', 'host'],
  // Each answer names people: it takes from the per-user `write` bucket, as message search does.
  rateLimit: 'write',
  http: { method: 'GET', path: '/users', input: 'query', errors: ['not_found', 'rate_limited'], response: userSearchResponseSchema },
  async run(ctx, actor, input): Promise<UserSearchResponse> {
    const userId = userOf(actor).id;
    const host = ctx.state.search?.users;
    const q = input.q.trim();
    if (host === false) throw new ApiError('not_found', 'user search is turned off on this server (createChatServer searchUsers: false)');
    const exec = ctx.state.database.kysely;
    if (!host) return { users: await searchStoredUsers(exec, userId, q, input.limit) };
    const found = await host({ q, limit: input.limit, userId });
    // Only what a user may see of another: a valid id, a name and an avatar that fit their limits.
    const users: User[] = [];
    for (const entry of Array.isArray(found) ? found : []) {
      const user = userSchema.safeParse({ id: entry?.id, name: entry?.name ?? null, avatarUrl: entry?.avatarUrl ?? null });
      if (user.success && !users.some((u) => u.id === user.data.id)) users.push(user.data);
    }
    const excluded = await excludedUsers(
      exec,
      userId,
      users.map((u) => u.id),
    );
    return { users: users.filter((u) => !excluded.has(u.id)).slice(0, input.limit) };
  },
});
