import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../db/types';

type Executor = Kysely<DB> | Transaction<DB>;

/** Queue storage keys for removal, in the transaction that dropped the rows that named them. */
export async function queueFileDeletions(exec: Executor, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await exec
    .insertInto('file_deletions')
    .values(keys.map((key) => ({ key })))
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

/** Keys due for a (first or next) attempt, oldest first; a claim holds them for `leaseSeconds`. */
export async function claimFileDeletions(exec: Executor, limit: number, leaseSeconds: number): Promise<string[]> {
  const rows = await sql<{ key: string }>`
    update file_deletions set attempts = attempts + 1,
      next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
    where key in (
      select key from file_deletions where next_attempt_at <= now()
      order by next_attempt_at limit ${limit} for update skip locked)
    returning key`.execute(exec);
  return rows.rows.map((row) => row.key);
}

/** The storage confirmed these keys are gone. */
export async function completeFileDeletions(exec: Executor, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await exec.deleteFrom('file_deletions').where('key', 'in', keys).execute();
}

/** The storage failed: try again after `delaySeconds` (the claim's attempts count grows). */
export async function deferFileDeletions(exec: Executor, keys: string[], delaySeconds: number, error: string): Promise<void> {
  if (keys.length === 0) return;
  await sql`
    update file_deletions set next_attempt_at = now() + make_interval(secs => ${delaySeconds}), last_error = ${error.slice(0, 500)}
    where key = any(${keys}::text[])`.execute(exec);
}

/** How many keys wait, for metrics and `banter doctor --verify-erasure`. */
export async function pendingFileDeletions(exec: Executor, keys?: string[]): Promise<string[]> {
  let query = exec.selectFrom('file_deletions').select('key');
  if (keys) {
    if (keys.length === 0) return [];
    query = query.where('key', 'in', keys);
  }
  return (await query.execute()).map((row) => row.key);
}
