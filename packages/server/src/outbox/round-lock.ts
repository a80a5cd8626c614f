import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/create-database';
import type { DB } from '../db/types';
import { duePartitions } from './queries';

/** Rows are spread over this many partitions by conversation (or channel) hash. */
export const OUTBOX_PARTITIONS = 16;
/** One round takes at most this many free partitions: a second instance finds the other half free. */
const SHARE = OUTBOX_PARTITIONS / 2;

// One PGlite instance is one connection: dispatchers sharing it take turns in process.
const inProcessLocks = new WeakMap<object, Promise<unknown>>();

/** The partitions a round holds (null: all, PGlite); `more`: others had due rows too (locked elsewhere or past the share). */
export interface RoundShare {
  partitions: number[] | null;
  more: boolean;
}

/**
 * Run one dispatcher round on the partitions it could lock. On PostgreSQL a transaction tries
 * `pg_try_advisory_xact_lock(<schema>, p)` on the partitions with due rows (oldest first) and
 * keeps up to half of them, so several instances sweep side by side and a conversation's rows are only ever in
 * one instance's hands (its order holds); a stopped or crashed instance holds nothing, and the
 * others take its partitions on their next round. `fn` gets the partitions (empty: none free).
 * PGlite is one process: an in-process queue, all partitions (`null`).
 *
 * @example
 * ```ts
 * const rows = await inRoundLock(database, 0, (db, share) => claimDueRows(db, 100, 0, share.partitions && { of: 16, taken: share.partitions }));
 * ```
 */
export function inRoundLock<T>(database: Database, graceMs: number, fn: (db: Kysely<DB>, share: RoundShare) => Promise<T>): Promise<T> {
  if (database.dialect === 'postgres') {
    const lockKey = `banter_outbox:${database.schema}`;
    return database.kysely.transaction().execute(async (trx) => {
      const due = await duePartitions(trx, OUTBOX_PARTITIONS, graceMs);
      const taken: number[] = [];
      for (const p of due) {
        if (taken.length === SHARE) break;
        const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(hashtext(${lockKey}), ${p}) as ok`.execute(trx);
        if (rows[0]?.ok) taken.push(p);
      }
      return fn(trx, { partitions: taken, more: due.length > taken.length });
    });
  }
  return inProcessTurn(database, () => fn(database.kysely, { partitions: null, more: false }));
}

/**
 * Run `fn` (the fast path's claim, `leaseFresh`) apart from every sweep round. PostgreSQL needs no
 * turn: a round holds its claimed rows `FOR UPDATE` until it marked them, and the claim skips them.
 * PGlite's rounds run without a transaction (one connection), so the claim waits for its turn in
 * their in-process queue: it then sees what a round did to the rows.
 */
export function apartFromRounds<T>(database: Database, fn: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  if (database.dialect === 'postgres') return fn(database.kysely);
  return inProcessTurn(database, () => fn(database.kysely));
}

function inProcessTurn<T>(database: Database, fn: () => Promise<T>): Promise<T> {
  const key = database.pglite ?? database.kysely;
  const previous = inProcessLocks.get(key) ?? Promise.resolve();
  const run = previous.then(fn);
  inProcessLocks.set(
    key,
    run.catch(() => {}),
  );
  return run;
}
