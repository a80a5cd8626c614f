import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/create-database';
import type { DB } from '../db/types';

// One PGlite instance is one connection: dispatchers sharing it take turns in process.
const inProcessLocks = new WeakMap<object, Promise<unknown>>();

/**
 * Run one dispatcher round under the schema's dispatch lock: on PostgreSQL a transaction holding
 * `pg_advisory_xact_lock` (so a crashed instance holds nothing), on PGlite an in-process queue.
 *
 * @example
 * ```ts
 * const rows = await inRoundLock(database, (db) => claimDueRows(db, 100));
 * ```
 */
export function inRoundLock<T>(database: Database, fn: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  if (database.dialect === 'postgres') {
    const lockKey = `banter_outbox:${database.schema}`;
    return database.kysely.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${lockKey}))`.execute(trx);
      return fn(trx);
    });
  }
  const key = database.pglite ?? database.kysely;
  const previous = inProcessLocks.get(key) ?? Promise.resolve();
  const run = previous.then(() => fn(database.kysely));
  inProcessLocks.set(
    key,
    run.catch(() => {}),
  );
  return run;
}
