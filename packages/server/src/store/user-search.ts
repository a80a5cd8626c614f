import type { User } from '@banter/core/protocol';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/types';
import { ERASED_SENDER_ID } from './erasure';
import { toUser } from './map';

/** `text` for a LIKE pattern: its own `%`, `_` and `\` match themselves. */
const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Banter's own users (synced by the host or signed in) for `userId` to start a conversation with:
 * a name that starts with `query` or has a word that does, or an id that starts with it, any case.
 * Never the caller, the erased-user placeholder, anyone blocked either way or banned from the app.
 * A name that starts with the query first, then by name and id. Scans the users table (no index
 * serves a match inside names): a host with a large directory passes its own `searchUsers`.
 */
export async function searchStoredUsers(exec: Kysely<DB>, userId: string, query: string, limit: number): Promise<User[]> {
  const q = literal(query.trim().toLowerCase());
  const rows = await exec
    .selectFrom('users as u')
    .select(['u.id', 'u.name', 'u.avatar_url'])
    .where('u.id', 'not in', [userId, ERASED_SENDER_ID])
    .where((eb) =>
      eb.or([eb(sql`lower(u.name)`, 'like', `${q}%`), eb(sql`lower(u.name)`, 'like', `% ${q}%`), eb(sql`lower(u.id)`, 'like', `${q}%`)]),
    )
    .where(
      sql<boolean>`not exists (
        select 1 from user_blocks b
        where (b.blocker_id = ${userId} and b.blocked_id = u.id) or (b.blocked_id = ${userId} and b.blocker_id = u.id)
        union all select 1 from bans x where x.user_id = u.id and x.conversation_id is null)`,
    )
    .orderBy(sql`coalesce(lower(u.name) like ${`${q}%`}, false)`, 'desc')
    .orderBy(sql`lower(coalesce(u.name, u.id))`)
    .orderBy('u.id')
    .limit(limit)
    .execute();
  return rows.map(toUser);
}

/** Of `ids` (a host's `searchUsers` answer), those `userId` may not be offered: blocked either way, banned, erased. */
export async function excludedUsers(exec: Kysely<DB>, userId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const blocks = await exec
    .selectFrom('user_blocks')
    .select(['blocker_id', 'blocked_id'])
    .where((eb) =>
      eb.or([
        eb.and([eb('blocker_id', '=', userId), eb('blocked_id', 'in', ids)]),
        eb.and([eb('blocked_id', '=', userId), eb('blocker_id', 'in', ids)]),
      ]),
    )
    .execute();
  const bans = await exec.selectFrom('bans').select('user_id').where('user_id', 'in', ids).where('conversation_id', 'is', null).execute();
  return new Set([
    userId,
    ERASED_SENDER_ID,
    ...blocks.map((b) => (b.blocker_id === userId ? b.blocked_id : b.blocker_id)),
    ...bans.map((b) => b.user_id),
  ]);
}
