import type { Database } from '../db/create-database';
import type { BanterLogger } from '../observability/logger';
import type { Broadcaster } from '../realtime/broadcaster';
import { type BackoffOptions, backoffDelay } from './backoff';
import { type ClaimedRow, leaseFresh, markDelivered, markFailed } from './queries';
import { apartFromRounds } from './round-lock';
import { isOutboxStep } from './steps';
import { describeError, rowFields, rowSender } from './sweep-round';

export interface FastPathOptions {
  database: Database;
  broadcaster: Broadcaster;
  /** Broadcaster calls in flight at once (default 8). */
  concurrency: number;
  sendTimeoutMs: number;
  /** How long a claimed row is kept from every sweep (its publish and its mark must be done by then). */
  leaseMs: number;
  backoff: BackoffOptions;
  logger: BanterLogger;
  onError: (error: unknown) => void;
  /** A publish failed: the sweep should look again in `delayMs`. */
  onFailure: (delayMs: number) => void;
  stats: { delivered: number; failedAttempts: number };
}

export interface FastPath {
  /** Publish rows that just committed; never throws, never waits. */
  publish(rows: ClaimedRow[]): void;
  /** Resolves when every publish in flight and every mark has finished. */
  idle(): Promise<void>;
  /** True while this fast path holds the row (queued, in flight, or its outcome not yet written). */
  owns(id: number): boolean;
  /** Stop taking rows (what is queued is left to the sweep). */
  close(): void;
}

/**
 * The fast path (docs/delivery.md): the process that committed events claims them (one `update`
 * that leases the rows no sweep took, so no instance's sweep publishes them too) and publishes them,
 * `maxBatchSize` at a time with up to `concurrency` calls in flight, and marks them delivered in
 * batches (one `update` while the next batch of ids gathers). A failed publish is recorded as a
 * failed attempt with its backoff, so the sweep retries it (and its conversation's later rows wait
 * there); a process that crashed between commit and claim leaves rows the sweep takes after their
 * grace period, one that crashed after its claim rows the sweep takes when the lease ends. Rows of one conversation can arrive out of seq order; clients order by seq.
 * A step (steps.ts) goes only after the rows its commit wrote before it were published.
 *
 * @example
 * ```ts
 * const fast = createFastPath({ database, broadcaster, concurrency: 8, ... });
 * signal.subscribe((rows) => rows && fast.publish(rows));
 * ```
 */
export function createFastPath(options: FastPathOptions): FastPath {
  const send = rowSender(options.broadcaster, options.sendTimeoutMs);
  const batchSize = Math.max(1, Math.floor(options.broadcaster.maxBatchSize || 1));
  const queue: ClaimedRow[] = [];
  const toMark: ClaimedRow[] = [];
  let inFlight = 0;
  let marking: Promise<void> | null = null;
  let failing = 0;
  // The sweep of this process leaves these alone whatever their age (a mark can lag under load).
  const owned = new Set<number>();
  const release = (rows: ClaimedRow[]) => {
    for (const row of rows) owned.delete(row.id);
  };
  let closed = false;
  let waiters: Array<() => void> = [];
  // Steps (steps.ts) wait for the rows their commit wrote before them in their conversation; when
  // one of those is not published here (failed, or a sweep took it), the step is left to the sweep,
  // which keeps the conversation's order.
  const steps: Array<{ row: ClaimedRow; before: Set<number>; toSweep: boolean }> = [];

  function settleWaiters(): void {
    if (inFlight > 0 || marking || failing > 0 || queue.length > 0 || toMark.length > 0 || steps.length > 0) return;
    const done = waiters;
    waiters = [];
    for (const resolve of done) resolve();
  }

  /** These rows are out (`published`) or not this fast path's to publish: the steps after them may go. */
  function settled(rows: ClaimedRow[], published: boolean): void {
    if (steps.length === 0) return;
    for (const step of steps) {
      for (const row of rows) if (step.before.delete(row.id) && !published) step.toSweep = true;
    }
    for (const step of steps.filter((s) => s.before.size === 0)) {
      steps.splice(steps.indexOf(step), 1);
      if (step.toSweep || closed) release([step.row]);
      else takeStep(step.row);
    }
  }

  /** A step goes alone, claimed like the rows (a failed one is retried by the sweep, in order). */
  function takeStep(row: ClaimedRow): void {
    inFlight++;
    void claim([row]).then((claimed) => {
      if (claimed.length > 0) void publishBatch(claimed);
      else inFlight--;
      settleWaiters();
    });
  }

  function pump(): void {
    while (!closed && inFlight < options.concurrency && queue.length > 0) {
      const rows = queue.splice(0, (options.concurrency - inFlight) * batchSize);
      const calls = Math.ceil(rows.length / batchSize);
      // The calls' places are taken while the claim runs: idle() waits for it, pump() takes no more.
      inFlight += calls;
      void claim(rows).then((claimed) => {
        const batches: ClaimedRow[][] = [];
        for (let i = 0; i < claimed.length; i += batchSize) batches.push(claimed.slice(i, i + batchSize));
        inFlight -= calls - batches.length;
        for (const batch of batches) void publishBatch(batch);
        pump();
        settleWaiters();
      });
    }
    if (closed) queue.length = 0;
  }

  /**
   * The rows no sweep took, now leased to this process (queries.ts `leaseFresh`): a sweep of any
   * instance may have taken one whose grace ran out while it queued here; that one is its to publish.
   */
  async function claim(rows: ClaimedRow[]): Promise<ClaimedRow[]> {
    try {
      const ids = await apartFromRounds(options.database, (db) =>
        leaseFresh(
          db,
          rows.map((row) => row.id),
          options.leaseMs,
        ),
      );
      const claimed = rows.filter((row) => ids.has(row.id));
      const taken = rows.filter((row) => !ids.has(row.id));
      release(taken);
      settled(taken, false);
      return claimed;
    } catch (error) {
      // Not claimed (or not known to be): the sweep takes them after their grace, or their lease.
      options.onError(error);
      release(rows);
      settled(rows, false);
      options.onFailure(0);
      return [];
    }
  }

  async function publishBatch(batch: ClaimedRow[]): Promise<void> {
    const error = await send(batch);
    inFlight--;
    if (error) {
      // A failed attempt: the sweep retries it (and dead-letters it if the service refused it).
      options.logger.warn({ ...rowFields(batch[0]!), events: batch.length }, 'outbox fast path publish failed; the sweep will retry');
      recordFailure(batch, error);
    } else {
      toMark.push(...batch);
      mark();
    }
    settled(batch, !error);
    pump();
    settleWaiters();
  }

  function recordFailure(batch: ClaimedRow[], error: unknown): void {
    failing++;
    const delays = batch.map((row) => backoffDelay(row.attempts + 1, options.backoff));
    const writes = batch.map((row, i) =>
      markFailed(options.database.kysely, { id: row.id, error: describeError(error), delayMs: delays[i]!, dead: false }),
    );
    options.stats.failedAttempts += batch.length;
    void Promise.all(writes)
      // Not written: the row is still fresh, the sweep takes it after its grace.
      .catch((e) => options.onError(e))
      .finally(() => {
        release(batch);
        failing--;
        options.onFailure(Math.min(...delays));
        settleWaiters();
      });
  }

  function mark(): void {
    if (marking || toMark.length === 0) return;
    const batch = toMark.splice(0, 1000);
    marking = markDelivered(
      options.database.kysely,
      batch.map((row) => row.id),
    ).then(
      () => {
        options.stats.delivered += batch.length;
        for (const row of batch) options.logger.debug({ ...rowFields(row), attempts: row.attempts + 1 }, 'outbox event delivered');
      },
      // Unmarked rows are published again by the sweep after their grace: a duplicate, not a loss.
      (error) => options.onError(error),
    );
    void marking.finally(() => {
      release(batch);
      marking = null;
      mark();
      settleWaiters();
    });
  }

  return {
    publish(rows) {
      if (closed || rows.length === 0) return;
      for (const row of rows) owned.add(row.id);
      for (const row of rows) {
        if (!isOutboxStep(row)) queue.push(row);
        else {
          const before = rows.filter((r) => r.id < row.id && r.conversation_id === row.conversation_id).map((r) => r.id);
          steps.push({ row, before: new Set(before), toSweep: false });
        }
      }
      // A step with nothing before it goes at once.
      settled([], true);
      pump();
    },
    idle() {
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        settleWaiters();
      });
    },
    owns: (id) => owned.has(id),
    close() {
      closed = true;
      release(queue);
      queue.length = 0;
      release(steps.splice(0).map((step) => step.row));
      settleWaiters();
    },
  };
}
