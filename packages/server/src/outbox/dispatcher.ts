import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/create-database';
import type { DB } from '../db/types';
import { type BanterLogger, errorFields, silentLogger } from '../observability/logger';
import type { BroadcastEvent, Broadcaster } from '../realtime/broadcaster';
import { backoffDelay } from './backoff';
import { listenForOutbox, type OutboxListener } from './listener';
import { type ClaimedRow, claimDueRows, markDelivered, markFailed, pruneDelivered } from './queries';
import type { OutboxSignal } from './signal';

/** Tuning of the outbox dispatcher; every field has a default. */
export interface OutboxDispatcherOptions {
  /** Safety-net poll: how often an idle dispatcher looks for due rows nobody woke it for (default 2000 ms). */
  pollIntervalMs?: number;
  /** Failed attempts before a row becomes a dead letter (default 10). */
  maxAttempts?: number;
  /** Backoff after the first failure (default 500 ms); it doubles per attempt, with jitter. */
  backoffBaseMs?: number;
  /** Longest backoff (default 60 000 ms). */
  backoffCapMs?: number;
  /** How long delivered rows are kept before pruning (default 24 h). */
  retentionMs?: number;
  /** How often pruning runs (default 60 000 ms); each run deletes at most 1000 rows. */
  pruneIntervalMs?: number;
  /** Most rows claimed per round (default 100); they are sent `broadcaster.maxBatchSize` at a time. */
  roundSize?: number;
  /** A broadcaster call that takes longer counts as failed (default 10 000 ms). */
  sendTimeoutMs?: number;
  /** Longest wait for the final flush on stop / `close()` (default 5000 ms). */
  closeTimeoutMs?: number;
  /** Wake at once after each local commit (default true; false = poll and LISTEN only, e.g. to measure). */
  wakeOnCommit?: boolean;
  /** LISTEN for commits of other instances (PostgreSQL only; default true). */
  listen?: boolean;
}

export interface CreateOutboxDispatcherOptions extends OutboxDispatcherOptions {
  database: Database;
  broadcaster: Broadcaster;
  /** The chat server's in-process commit signal. */
  signal?: OutboxSignal;
  /** Broadcaster failures, database trouble and a lost LISTEN connection (default: console.error). */
  onError?: (error: unknown) => void;
  /** Per-event delivery logs with the request id (debug: delivered; warn: failed; error: dead). */
  logger?: BanterLogger;
}

export interface OutboxDispatcherStats {
  rounds: number;
  delivered: number;
  failedAttempts: number;
  deadLetters: number;
}

export interface OutboxDispatcher {
  /** Subscribe to wake-ups and start polling (idempotent). */
  start(): void;
  /** Look for due rows now (coalesced: at most one more round while one is running). */
  wake(): void;
  /** Deliver everything due now; resolves when a round finds nothing more it can deliver. */
  flush(): Promise<void>;
  /** Stop; by default after a final flush bounded by `closeTimeoutMs`, so a graceful shutdown loses nothing. */
  stop(options?: { flush?: boolean }): Promise<void>;
  /** Counters since creation (this process only; `outboxMetrics` reads the table). */
  stats(): OutboxDispatcherStats;
}

interface RoundResult {
  claimed: number;
  delivered: number;
  /** The round hit its size: more rows may be due. */
  full: boolean;
  /** Claimed rows left alone because an earlier row of their conversation failed in this round. */
  skipped: number;
  /** Consecutive failures: the broadcaster looks down; pause until `retryInMs`. */
  outage: boolean;
  /** Earliest backoff set this round (ms from now), Infinity if none. */
  retryInMs: number;
}

const PRUNE_LIMIT = 1000;
const DATABASE_RETRY_MS = 1000;
// One PGlite instance is one connection: dispatchers sharing it take turns in process.
const inProcessLocks = new WeakMap<object, Promise<unknown>>();

/**
 * The transactional outbox's dispatcher: claims due rows, triggers them through the Broadcaster in
 * batches, marks them delivered, backs failures off and turns rows that keep failing into dead letters.
 *
 * Ordering: one dispatcher at a time per database schema. On PostgreSQL each round runs in a
 * transaction that first takes `pg_advisory_xact_lock`, so instances take turns and the claim
 * (`FOR UPDATE SKIP LOCKED`, in id order) sees every earlier row's fate; one dispatcher pushes
 * thousands of events a second, more than Pusher accepts from one app anyway. Per-conversation
 * ordering inside the claim alone would race: two claims running at once can each see the other's
 * earlier row as still due. The lock is per round, not per session, so a crashed instance holds
 * nothing and any instance picks its rows up; on PGlite (one process) an in-process lock does it.
 *
 * @example
 * ```ts
 * const dispatcher = createOutboxDispatcher({ database, broadcaster, signal: chat.outboxSignal });
 * dispatcher.start();
 * // ...
 * await dispatcher.stop(); // flushes first
 * ```
 */
export function createOutboxDispatcher(options: CreateOutboxDispatcherOptions): OutboxDispatcher {
  const { database, broadcaster } = options;
  const pollIntervalMs = positive(options.pollIntervalMs, 2000, 'pollIntervalMs');
  const maxAttempts = Math.max(1, Math.floor(positive(options.maxAttempts, 10, 'maxAttempts')));
  const backoff = {
    baseMs: positive(options.backoffBaseMs, 500, 'backoffBaseMs'),
    capMs: positive(options.backoffCapMs, 60_000, 'backoffCapMs'),
  };
  const retentionMs = options.retentionMs ?? 24 * 3600_000;
  if (!(retentionMs >= 0)) throw new TypeError('banter: dispatcher retentionMs must be >= 0');
  const pruneIntervalMs = positive(options.pruneIntervalMs, 60_000, 'pruneIntervalMs');
  const roundSize = Math.max(1, Math.floor(positive(options.roundSize, 100, 'roundSize')));
  const batchSize = Math.max(1, Math.floor(broadcaster.maxBatchSize || 1));
  const sendTimeoutMs = positive(options.sendTimeoutMs, 10_000, 'sendTimeoutMs');
  const closeTimeoutMs = positive(options.closeTimeoutMs, 5000, 'closeTimeoutMs');
  const onError = options.onError ?? ((error: unknown) => console.error('[banter] outbox:', error));
  const lockKey = `banter_outbox:${database.schema}`;
  const logger = options.logger ?? silentLogger;

  const stats: OutboxDispatcherStats = { rounds: 0, delivered: 0, failedAttempts: 0, deadLetters: 0 };
  let started = false;
  let stopping: Promise<void> | null = null;
  let running = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let timerAt = Number.POSITIVE_INFINITY;
  let pausedUntil = 0;
  let lastPrune = Number.NEGATIVE_INFINITY;
  let pruneMore = false;
  // When rows this dispatcher backed off become due (the poll covers those of other instances).
  let retryTimes: number[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  let unsubscribe: (() => void) | null = null;
  let listener: OutboxListener | null = null;

  // Rounds of this dispatcher never overlap: flush() and the background loop queue here.
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = chain.then(fn);
    chain = run.catch(() => {});
    return run;
  }

  function inRound<T>(fn: (db: Kysely<DB>) => Promise<T>): Promise<T> {
    if (database.dialect === 'postgres') {
      return database.kysely.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtext(${lockKey}))`.execute(trx);
        return fn(trx);
      });
    }
    const key = database.pglite ?? database.kysely;
    const previous = inProcessLocks.get(key) ?? Promise.resolve();
    const run = previous.then(() => fn(database.kysely));
    inProcessLocks.set(key, run.catch(() => {}));
    return run;
  }

  async function send(rows: ClaimedRow[]): Promise<unknown> {
    const events: BroadcastEvent[] = rows.map((row) => ({
      channel: row.channel,
      name: row.event,
      data: row.payload,
      ...(row.socket_id ? { socketId: row.socket_id } : {}),
    }));
    let timeout: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        broadcaster.triggerBatch(events),
        new Promise((_, reject) => {
          timeout = setTimeout(() => reject(new Error(`broadcaster did not answer within ${sendTimeoutMs} ms`)), sendTimeoutMs);
        }),
      ]);
      return null;
    } catch (error) {
      return error ?? new Error('broadcaster failed');
    } finally {
      clearTimeout(timeout);
    }
  }

  async function round(): Promise<RoundResult> {
    stats.rounds++;
    const start = Date.now();
    // Rows due by now are claimed (or held behind an earlier row, whose own time is kept) below.
    retryTimes = retryTimes.filter((at) => at > start);
    const result = await inRound(async (db) => {
      const rows = await claimDueRows(db, roundSize);
      const failedConversations = new Set<string>();
      const blocked = (row: ClaimedRow) => row.conversation_id !== null && failedConversations.has(row.conversation_id);
      let delivered = 0;
      let attempted = 0;
      let consecutiveFailures = 0;
      let retryInMs = Number.POSITIVE_INFINITY;
      let outage = false;

      const deliveredNow = async (done: ClaimedRow[]) => {
        await markDelivered(db, done.map((row) => row.id));
        for (const row of done) logger.debug({ ...rowFields(row), attempts: row.attempts + 1 }, 'outbox event delivered');
        delivered += done.length;
        attempted += done.length;
        consecutiveFailures = 0;
      };
      const failed = async (row: ClaimedRow, error: unknown) => {
        const attempts = row.attempts + 1;
        const dead = attempts >= maxAttempts;
        const delayMs = backoffDelay(attempts, backoff);
        await markFailed(db, { id: row.id, error: describe(error), delayMs, dead });
        attempted++;
        if (row.conversation_id !== null) failedConversations.add(row.conversation_id);
        stats.failedAttempts++;
        if (dead) stats.deadLetters++;
        else {
          retryInMs = Math.min(retryInMs, delayMs);
          retryTimes.push(Date.now() + delayMs);
        }
        consecutiveFailures++;
        const fields = { ...rowFields(row), attempts, ...errorFields(error) };
        if (dead) logger.error(fields, 'outbox event dead: gave up after the last attempt');
        else logger.warn({ ...fields, retryInMs: Math.round(delayMs) }, 'outbox event failed; will retry');
        // Two failures in a row without a success: the broadcaster is down, not one event bad.
        if (consecutiveFailures >= 2) outage = true;
        onError(new Error(`outbox row ${row.id} (${row.event} to ${row.channel}) failed, attempt ${attempts}${dead ? ', now a dead letter' : ''}`, { cause: error }));
      };

      for (let i = 0; i < rows.length && !outage; i += batchSize) {
        const chunk = rows.slice(i, i + batchSize).filter((row) => !blocked(row));
        if (chunk.length === 0) continue;
        const error = await send(chunk);
        if (!error) {
          await deliveredNow(chunk);
          continue;
        }
        if (chunk.length === 1) {
          await failed(chunk[0]!, error);
          continue;
        }
        // One bad event must not sink its batch-mates: retry them one by one, in order.
        for (const row of chunk) {
          if (outage) break;
          if (blocked(row)) continue;
          const single = await send([row]);
          if (single) await failed(row, single);
          else await deliveredNow([row]);
        }
      }
      const skipped = outage ? 0 : rows.length - attempted;
      return { claimed: rows.length, delivered, full: rows.length === roundSize && !outage, skipped, outage, retryInMs };
    });
    stats.delivered += result.delivered;
    await prune();
    return result;
  }

  async function prune(): Promise<void> {
    if (!pruneMore && Date.now() - lastPrune < pruneIntervalMs) return;
    lastPrune = Date.now();
    try {
      pruneMore = (await pruneDelivered(database.kysely, retentionMs, PRUNE_LIMIT)) === PRUNE_LIMIT;
    } catch (error) {
      pruneMore = false;
      onError(error);
    }
  }

  function arm(delayMs: number): void {
    if (stopping || !started) return;
    const at = Date.now() + Math.max(0, delayMs);
    if (timer && timerAt <= at) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(() => {
      timer = null;
      timerAt = Number.POSITIVE_INFINITY;
      wake();
    }, Math.max(0, delayMs));
    // The poll must not keep a host process alive on its own.
    timer.unref?.();
  }

  function armNext(fallbackMs: number): void {
    const now = Date.now();
    arm(retryTimes.reduce((soonest, at) => Math.min(soonest, at - now), Math.max(fallbackMs, pausedUntil - now)));
  }

  function wake(): void {
    if (!started || stopping) return;
    const now = Date.now();
    if (now < pausedUntil) {
      arm(pausedUntil - now);
      return;
    }
    again = true;
    if (!running) void loop();
  }

  async function loop(): Promise<void> {
    running = true;
    let next = pollIntervalMs;
    try {
      while (again && !stopping) {
        again = false;
        let result: RoundResult;
        try {
          result = await exclusive(round);
        } catch (error) {
          // The database is away: no tight loop, try again shortly.
          onError(error);
          next = Math.min(pollIntervalMs, DATABASE_RETRY_MS);
          break;
        }
        if (result.outage) {
          // Rows that just died set no retry time; still pause a little before the next try.
          pausedUntil = Date.now() + (Number.isFinite(result.retryInMs) ? result.retryInMs : backoff.baseMs);
          break;
        }
        // Skipped rows are due: the next claim delivers them (their earlier row died) or leaves them
        // out (it backs off), so this cannot spin.
        if (result.full || result.skipped > 0) again = true;
      }
    } finally {
      running = false;
    }
    armNext(next);
  }

  async function flushRounds(): Promise<void> {
    try {
      for (;;) {
        const result = await exclusive(round);
        if (result.claimed === 0 || result.outage || (result.delivered === 0 && result.skipped === 0)) return;
      }
    } finally {
      // Failures during the flush set retry times the background loop must wake for.
      if (!running) armNext(pollIntervalMs);
    }
  }

  return {
    start() {
      if (started || stopping) return;
      started = true;
      if (options.wakeOnCommit !== false && options.signal) unsubscribe = options.signal.subscribe(wake);
      if (options.listen !== false && database.dialect === 'postgres' && database.pool) {
        listener = listenForOutbox({ connection: database.pool.options, schema: database.schema, onWake: wake, onError });
      }
      wake();
    },
    wake,
    flush: flushRounds,
    stop(stopOptions = {}) {
      stopping ??= (async () => {
        unsubscribe?.();
        if (timer) clearTimeout(timer);
        timer = null;
        await listener?.close();
        await chain;
        // Never started (migrations never ran): there is nothing this dispatcher could flush.
        if (stopOptions.flush === false || !started) return;
        let timeout: ReturnType<typeof setTimeout> | undefined;
        try {
          await Promise.race([
            flushRounds(),
            new Promise((_, reject) => {
              timeout = setTimeout(() => reject(new Error(`final outbox flush did not finish within ${closeTimeoutMs} ms`)), closeTimeoutMs);
            }),
          ]);
        } catch (error) {
          onError(error);
        } finally {
          clearTimeout(timeout);
        }
      })();
      return stopping;
    },
    stats: () => ({ ...stats }),
  };
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || !Number.isFinite(value)) throw new TypeError(`banter: dispatcher ${name} must be a positive number`);
  return value;
}

/** Log fields of one row: ids and routing only; the payload (message text) is never logged. */
function rowFields(row: ClaimedRow) {
  const seq = (row.payload as { seq?: unknown } | null)?.seq;
  return {
    requestId: row.request_id,
    outboxId: row.id,
    event: row.event,
    channel: row.channel,
    ...(row.conversation_id ? { conversationId: row.conversation_id } : {}),
    ...(typeof seq === 'number' ? { seq } : {}),
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
