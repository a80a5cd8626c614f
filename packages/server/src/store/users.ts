import type { User } from '@banter/core/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Identity } from '../auth/tokens';
import type { DB } from '../db/types';
import { toUser } from './map';

type Executor = Kysely<DB> | Transaction<DB>;

/**
 * Insert or update a user. Fields left `undefined` keep their stored value; the row is written
 * only when something differs (an unchanged upsert takes no write).
 */
export async function upsertUser(exec: Executor, identity: Identity): Promise<User> {
  const hasName = identity.name !== undefined;
  const hasAvatar = identity.avatarUrl !== undefined;
  const name = identity.name ?? null;
  const avatarUrl = identity.avatarUrl ?? null;
  const query = exec.insertInto('users').values({ id: identity.id, name, avatar_url: avatarUrl });
  const written =
    hasName || hasAvatar
      ? await query
          .onConflict((oc) =>
            oc
              .column('id')
              .doUpdateSet({
                name: hasName ? sql`excluded.name` : sql`users.name`,
                avatar_url: hasAvatar ? sql`excluded.avatar_url` : sql`users.avatar_url`,
                updated_at: sql`now()`,
              })
              .where((eb) =>
                eb.or([
                  ...(hasName ? [eb(sql`users.name`, 'is distinct from', sql`excluded.name`)] : []),
                  ...(hasAvatar ? [eb(sql`users.avatar_url`, 'is distinct from', sql`excluded.avatar_url`)] : []),
                ]),
              ),
          )
          .returning(['id', 'name', 'avatar_url'])
          .executeTakeFirst()
      : await query
          .onConflict((oc) => oc.column('id').doNothing())
          .returning(['id', 'name', 'avatar_url'])
          .executeTakeFirst();
  if (written) return toUser(written);
  const row = await exec.selectFrom('users').select(['id', 'name', 'avatar_url']).where('id', '=', identity.id).executeTakeFirstOrThrow();
  return toUser(row);
}

/** Make sure rows exist for users the host named but who never signed in (profile unknown yet). */
export async function ensureUsers(exec: Executor, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  // Sorted, so two transactions inserting overlapping sets wait on each other in the same order.
  const sorted = [...new Set(ids)].sort();
  await exec
    .insertInto('users')
    .values(sorted.map((id) => ({ id, name: null, avatar_url: null })))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function getUser(exec: Executor, id: string): Promise<User | null> {
  const row = await exec.selectFrom('users').select(['id', 'name', 'avatar_url']).where('id', '=', id).executeTakeFirst();
  return row ? toUser(row) : null;
}

/**
 * Keeps users in step with their token claims without a write per request: remembers what it
 * last stored per user and only upserts when the claims differ.
 */
export function createUserSync(exec: () => Executor, maxEntries = 10_000) {
  const seen = new Map<string, string>();
  const syncUser = async function syncUser(identity: Identity): Promise<void> {
    const fingerprint = JSON.stringify([identity.name, identity.avatarUrl]);
    if (seen.get(identity.id) === fingerprint) return;
    await upsertUser(exec(), identity);
    seen.delete(identity.id);
    seen.set(identity.id, fingerprint);
    // Oldest first in a Map: drop it to stay bounded.
    if (seen.size > maxEntries) seen.delete(seen.keys().next().value!);
  };
  // After an erasure the row is gone: the next sign-in must write it again, not trust the cache.
  return Object.assign(syncUser, { forget: (id: string) => void seen.delete(id) });
}
