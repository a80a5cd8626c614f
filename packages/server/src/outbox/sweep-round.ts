import type { Database } from '../db/create-database';
import { type BanterLogger, errorFields } from '../observability/logger';
import type { BroadcastEvent, Broadcaster } from '../realtime/broadcaster';
import { withTimeout } from '../util/with-timeout';
import type { BackoffOptions } from './backoff';
import { OutboxDeliveryError } from './delivery-error';
import { deliverRows, type RowOutcome } from './delivery-round';
import { type ClaimedRow, claimDueRows, markDelivered, markFailed } from './queries';
import { inRoundLock, OUTBOX_PARTITIONS } from './round-lock';
import { isOutboxStep, runOutboxStep } from './steps';

export interface RoundResult {
  claimed: number;
  delivered: number;
  /** The round hit its size: more rows may be due. */
  full: boolean;
  /** Claimed rows left alone because an earlier row of their conversation failed in this round. */
  skipped: number;
  /** Consecutive transport failures: the broadcaster looks down; pause until `retryInMs`. */
  outage: boolean;
  /** Backoffs set this round (ms from now). */
  retryInMs: number[];
}

export interface SweepRoundOptions {
  database: Database;
  broadcaster: Broadcaster;
  roundSize: number;
  maxAttempts: number;
  backoff: BackoffOptions;
  sendTimeoutMs: number;
  /** Rows never attempted are left alone this long after their commit (the fast path's time). */
  graceMs: number;
  /** Broadcaster calls in flight at once (a conversation's calls still one after another). */
  concurrency: number;
  /** Rows this process's fast path still holds: left alone (their grace may be over under load). */
  skip?: (id: number) => boolean;
  logger: BanterLogger;
  onError: (error: unknown) => void;
  /** Counters this round adds to. */
  stats: { delivered: number; failedAttempts: number; deadLetters: number };
}

/**
 * Broadcaster events of claimed rows, in order: a step row (steps.ts) is taken after the events
 * before it and before those after it. `send` resolves with the error, or null when accepted.
 */
export function rowSender(broadcaster: Broadcaster, sendTimeoutMs: number) {
  const trigger = (rows: ClaimedRow[]) => {
    const events: BroadcastEvent[] = rows.map((row) => ({
      channel: row.channel,
      name: row.event,
      data: row.payload,
      ...(row.socket_id ? { socketId: row.socket_id } : {}),
    }));
    return withTimeout(broadcaster.triggerBatch(events), sendTimeoutMs, 'broadcaster call');
  };
  return async (rows: ClaimedRow[]): Promise<unknown> => {
    try {
      let from = 0;
      for (let i = 0; i <= rows.length; i++) {
        if (i < rows.length && !isOutboxStep(rows[i]!)) continue;
        if (i > from) await trigger(rows.slice(from, i));
        if (i < rows.length) await withTimeout(runOutboxStep(broadcaster, rows[i]!), sendTimeoutMs, `outbox step ${rows[i]!.event}`);
        from = i + 1;
      }
      return null;
    } catch (error) {
      return error ?? new Error('broadcaster failed');
    }
  };
}

/**
 * One sweep round: on the partitions it could lock (round-lock.ts), claim due rows, deliver them (the pure `deliverRows`),
 * and write what became of each back: delivered in one update, each failure with its backoff.
 *
 * @example
 * ```ts
 * const result = await sweepRound({ database, broadcaster, roundSize: 100, ... });
 * if (result.full) // more may be due
 * ```
 */
export async function sweepRound(options: SweepRoundOptions): Promise<RoundResult> {
  const { broadcaster, logger, stats } = options;
  const send = rowSender(broadcaster, options.sendTimeoutMs);
  return inRoundLock(options.database, options.graceMs, async (db, share) => {
    const partitions = share.partitions && { of: OUTBOX_PARTITIONS, taken: share.partitions };
    const claimed = await claimDueRows(db, options.roundSize, options.graceMs, partitions);
    const rows = options.skip ? claimed.filter((row) => !options.skip!(row.id)) : claimed;
    const { outcomes, held, outage } = await deliverRows(rows, {
      send,
      concurrency: options.concurrency,
      batchSize: Math.max(1, Math.floor(broadcaster.maxBatchSize || 1)),
      maxAttempts: options.maxAttempts,
      backoff: options.backoff,
    });
    const done = outcomes.filter((o) => o.kind === 'delivered').map((o) => o.row);
    await markDelivered(
      db,
      done.map((row) => row.id),
    );
    for (const row of done) logger.debug({ ...rowFields(row), attempts: row.attempts + 1 }, 'outbox event delivered');
    stats.delivered += done.length;
    const retryInMs: number[] = [];
    for (const outcome of outcomes) {
      if (outcome.kind === 'delivered') continue;
      await recordFailure(db, outcome, options);
      if (outcome.kind === 'retry') retryInMs.push(outcome.delayMs);
    }
    return {
      claimed: rows.length,
      delivered: done.length,
      // A round whose claim was all the fast path's rows is not full: claiming again would spin.
      // Other partitions with due rows count too: the next round may lock them.
      full: (claimed.length === options.roundSize || share.more) && rows.length > 0 && !outage,
      // After an outage the held rows wait for the pause, not for another round at once.
      skipped: outage ? 0 : held.length,
      outage,
      retryInMs,
    };
  });
}

async function recordFailure(
  db: Parameters<typeof markFailed>[0],
  outcome: Exclude<RowOutcome, { kind: 'delivered' }>,
  options: SweepRoundOptions,
): Promise<void> {
  const { row, error, attempts } = outcome;
  const dead = outcome.kind === 'dead';
  await markFailed(db, { id: row.id, error: describeError(error), delayMs: dead ? 0 : outcome.delayMs, dead });
  options.stats.failedAttempts++;
  if (dead) options.stats.deadLetters++;
  const fields = { ...rowFields(row), attempts, ...errorFields(error) };
  if (outcome.kind === 'dead') {
    options.logger.error(
      fields,
      outcome.rejected ? 'outbox event dead: the broadcaster refused it' : 'outbox event dead: gave up after the last attempt',
    );
  } else {
    options.logger.warn({ ...fields, retryInMs: Math.round(outcome.delayMs) }, 'outbox event failed; will retry');
  }
  options.onError(new OutboxDeliveryError(row, attempts, dead, error));
}

/** Log fields of one row: ids and routing only; the payload (message text) is never logged. */
export function rowFields(row: ClaimedRow) {
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

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
