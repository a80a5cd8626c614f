import { silentLogger } from '../observability/logger';
import { withTimeout } from '../util/with-timeout';
import {
  type CreateOutboxDispatcherOptions,
  type OutboxDispatcher,
  type OutboxDispatcherStats,
  resolveDispatcherOptions,
} from './dispatcher-options';
import { createFastPath } from './fast-path';
import { listenForOutbox, type OutboxListener } from './listener';
import { createPruner } from './pruner';
import { type RoundResult, sweepRound } from './sweep-round';

export type {
  CreateOutboxDispatcherOptions,
  OutboxDispatcher,
  OutboxDispatcherOptions,
  OutboxDispatcherStats,
} from './dispatcher-options';

const DATABASE_RETRY_MS = 1000;

/**
 * The transactional outbox's dispatcher: claims due rows, triggers them through the Broadcaster in
 * batches, marks them delivered, backs failures off and turns rows that keep failing into dead letters.
 * This file is the scheduling (wake-ups, poll, pauses, stop); a round is `sweepRound`, its delivery
 * logic the database-free `deliverRows`, its lock `inRoundLock`. With the fast path (default), rows
 * a commit of this process wrote are published at once by `createFastPath`; the sweep takes a row
 * only after `fastPathGraceMs`, or once an attempt failed.
 *
 * Ordering: one dispatcher at a time per database schema. On PostgreSQL each round runs in a
 * transaction that first takes `pg_advisory_xact_lock`, so instances take turns and the claim
 * (`FOR UPDATE SKIP LOCKED`, in id order) sees every earlier row's fate. The lock is per round,
 * not per session, so a crashed instance holds nothing and any instance picks its rows up.
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
  const config = resolveDispatcherOptions(options);
  const { pollIntervalMs } = config;
  const onError = options.onError ?? ((error: unknown) => console.error('[banter] outbox:', error));
  const logger = options.logger ?? silentLogger;
  const pruner = createPruner({ database, retentionMs: config.retentionMs, intervalMs: config.pruneIntervalMs, onError });
  // Fresh rows are the fast path's for this long; the sweep takes them after it (or after a failure).
  const graceMs = config.fastPath ? config.fastPathGraceMs : 0;

  const stats: OutboxDispatcherStats = { rounds: 0, delivered: 0, failedAttempts: 0, deadLetters: 0 };
  let started = false;
  let stopping: Promise<void> | null = null;
  let running = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let timerAt = Number.POSITIVE_INFINITY;
  let pausedUntil = 0;
  // When rows this dispatcher backed off become due (the poll covers those of other instances).
  let retryTimes: number[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  let unsubscribe: (() => void) | null = null;
  let listener: OutboxListener | null = null;
  const fast = config.fastPath
    ? createFastPath({
        database,
        broadcaster,
        ...config,
        leaseMs: config.fastPathLeaseMs,
        // Half the lease for the publish, half for its mark: the lease must not run out under it.
        sendTimeoutMs: Math.min(config.sendTimeoutMs, config.fastPathLeaseMs / 2),
        logger,
        onError,
        stats,
        onFailure: (delayMs) => arm(delayMs),
      })
    : null;

  // Rounds of this dispatcher never overlap: flush() and the background loop queue here.
  function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = chain.then(fn);
    chain = run.catch(() => {});
    return run;
  }

  async function round(): Promise<RoundResult> {
    stats.rounds++;
    const start = Date.now();
    // Rows due by now are claimed (or held behind an earlier row, whose own time is kept) below.
    retryTimes = retryTimes.filter((at) => at > start);
    const result = await sweepRound({ database, broadcaster, ...config, graceMs, logger, onError, stats, skip: fast?.owns });
    const now = Date.now();
    for (const delayMs of result.retryInMs) retryTimes.push(now + delayMs);
    await pruner.maybePrune();
    return result;
  }

  function arm(delayMs: number): void {
    if (stopping || !started) return;
    const at = Date.now() + Math.max(0, delayMs);
    if (timer && timerAt <= at) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(
      () => {
        timer = null;
        timerAt = Number.POSITIVE_INFINITY;
        wake();
      },
      Math.max(0, delayMs),
    );
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
          result = await exclusive(() => round());
        } catch (error) {
          // The database is away: no tight loop, try again shortly.
          onError(error);
          next = Math.min(pollIntervalMs, DATABASE_RETRY_MS);
          break;
        }
        if (result.outage) {
          // Rows that just died set no retry time; still pause a little before the next try.
          const soonest = Math.min(...result.retryInMs);
          pausedUntil = Date.now() + (Number.isFinite(soonest) ? soonest : config.backoff.baseMs);
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
      // What the fast path has in flight first (its failures become due rows), then the sweep.
      await fast?.idle();
      for (;;) {
        const result = await exclusive(() => round());
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
      if (options.wakeOnCommit !== false && options.signal) {
        unsubscribe = options.signal.subscribe((rows) => (fast && rows ? fast.publish(rows) : wake()));
      }
      if (options.listen !== false && database.dialect === 'postgres' && database.pool) {
        // With the fast path, another instance publishes its own commits: look only after their grace.
        const onWake = fast ? () => arm(graceMs + 50) : wake;
        listener = listenForOutbox({ connection: database.pool.options, schema: database.schema, onWake, onError });
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
        // Never started (migrations never ran): there is nothing this dispatcher could flush.
        if (stopOptions.flush === false || !started) fast?.close();
        await chain;
        if (stopOptions.flush === false || !started) return;
        await withTimeout(flushRounds(), config.closeTimeoutMs, 'final outbox flush').catch(onError);
        fast?.close();
      })();
      return stopping;
    },
    stats: () => ({ ...stats }),
  };
}
