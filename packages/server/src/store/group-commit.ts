import type pg from 'pg';
import type { RawBuilder } from 'kysely';
import type { Database } from '../db/create-database';
import { executePrepared, statementName } from './prepared';

/** Counters of one pool's group commit (tests, the bench). */
export interface GroupCommitStats {
  /** Transactions committed for a group of two or more statements. */
  groups: number;
  /** Statements run through the group commit (alone or in a group). */
  statements: number;
  /** The most statements one transaction held. */
  largest: number;
  /** Groups rolled back because one statement failed: each then ran alone. */
  retriedAlone: number;
}

interface Pending {
  key: string;
  query: pg.QueryConfig;
  resolve(rows: unknown[]): void;
  reject(error: unknown): void;
}

/** Groups in flight at once (of the pool's 10 connections by default; the rest serve everything else). */
const MAX_GROUPS_IN_FLIGHT = 4;
/** Most statements in one transaction: a longer one holds its conversations' row locks longer. */
const MAX_GROUP = 64;

const committers = new WeakMap<pg.Pool, Committer>();

/**
 * Run a one-statement write (the send) through group commit: the statements that arrive within
 * one turn of the event loop (well under a millisecond) share ONE transaction and one WAL flush on
 * PostgreSQL, instead of one commit each. Nothing waits for a window at low load: a statement
 * that arrives alone runs alone, as `executePrepared` would run it.
 *
 * - Statements of a group run in the order of their `key` (the conversation), arrival order within
 *   one: concurrent groups take the conversations' row locks in one order, so they do not deadlock,
 *   and a conversation's statements keep their order (the row lock still makes seq gapless).
 * - One statement fails: the group rolls back (no seq is used, nothing is half written) and every
 *   statement runs again alone (a conversation's in their order), so the bad one fails with its own
 *   error and its neighbours succeed.
 * - A failed `commit` (a lost connection) fails the whole group: its outcome is unknown, as a single
 *   statement's would be; idempotency keys make the client's retry safe.
 *
 * PGlite (one connection, one statement at a time) gains nothing from it: there the statement runs
 * as before. So does a host's own transaction (`database.pool` is null there).
 *
 * @example
 * ```ts
 * const rows = await executeGrouped(db, conversationId, sql`with conv as (update ...) select ...`);
 * ```
 */
export async function executeGrouped<R>(database: Database, key: string, query: RawBuilder<R>): Promise<R[]> {
  const pool = database.pool;
  if (!pool || !database.groupCommit) return executePrepared(database, query);
  let committer = committers.get(pool);
  if (!committer) {
    committer = new Committer(pool);
    committers.set(pool, committer);
  }
  const compiled = query.compile(database.kysely);
  const config = { name: statementName(compiled.sql), text: compiled.sql, values: [...compiled.parameters] };
  return (await committer.run(key, config)) as R[];
}

/** This database's group-commit counters (all zero on PGlite). */
export function groupCommitStats(database: Database): GroupCommitStats {
  const committer = database.pool ? committers.get(database.pool) : undefined;
  return committer ? { ...committer.stats } : { groups: 0, statements: 0, largest: 0, retriedAlone: 0 };
}

class Committer {
  readonly stats: GroupCommitStats = { groups: 0, statements: 0, largest: 0, retriedAlone: 0 };
  private queue: Pending[] = [];
  private scheduled = false;
  private inFlight = 0;
  /** Conversations of the groups in flight. */
  private readonly busy = new Set<string>();

  constructor(private readonly pool: pg.Pool) {}

  run(key: string, query: pg.QueryConfig): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ key, query, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_GROUPS_IN_FLIGHT || this.queue.length === 0) return;
    this.scheduled = true;
    // After this turn's other requests have reached here: they join the same group.
    setImmediate(() => {
      this.scheduled = false;
      const group = this.take();
      if (group.length === 0) return;
      this.inFlight++;
      const keys = new Set(group.map((p) => p.key));
      for (const key of keys) this.busy.add(key);
      void this.runGroup(group).finally(() => {
        for (const key of keys) this.busy.delete(key);
        this.inFlight--;
        this.schedule();
      });
      this.schedule();
    });
  }

  /**
   * The next group: queued statements of conversations no group in flight holds, in arrival order.
   * A conversation's statements wait while one of its groups runs (its row lock would hold them
   * there anyway): groups in flight never share a conversation, so none waits for another's commit
   * (groups that overlapped queued behind each other's locks, and under load that chain outgrew the
   * clients' timeouts).
   */
  private take(): Pending[] {
    const group: Pending[] = [];
    const rest: Pending[] = [];
    for (const p of this.queue) (group.length < MAX_GROUP && !this.busy.has(p.key) ? group : rest).push(p);
    this.queue = rest;
    return group;
  }

  private async runGroup(group: Pending[]): Promise<void> {
    this.stats.statements += group.length;
    this.stats.largest = Math.max(this.stats.largest, group.length);
    if (group.length === 1) return this.alone(group[0]!);
    // Stable: arrival order within a conversation.
    const ordered = group.map((p, i) => ({ p, i })).sort((a, b) => (a.p.key < b.p.key ? -1 : a.p.key > b.p.key ? 1 : a.i - b.i));
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      for (const p of group) p.reject(error);
      return;
    }
    const results: unknown[][] = [];
    try {
      await client.query('begin');
      for (const { p } of ordered) results.push((await client.query(p.query)).rows);
    } catch {
      // One statement failed (or begin did): nothing of the group is kept; each runs again alone.
      let broken = false;
      await client.query('rollback').catch(() => (broken = true));
      client.release(broken);
      this.stats.retriedAlone++;
      // Conversations side by side, each one's statements in their order.
      const chains = new Map<string, Promise<void>>();
      for (const { p } of ordered)
        chains.set(
          p.key,
          (chains.get(p.key) ?? Promise.resolve()).then(() => this.alone(p)),
        );
      await Promise.all(chains.values());
      return;
    }
    try {
      await client.query('commit');
      client.release();
    } catch (error) {
      client.release(true);
      for (const p of group) p.reject(error);
      return;
    }
    this.stats.groups++;
    for (const [i, { p }] of ordered.entries()) p.resolve(results[i]!);
  }

  private async alone(p: Pending): Promise<void> {
    try {
      p.resolve((await this.pool.query(p.query)).rows);
    } catch (error) {
      p.reject(error);
    }
  }
}
