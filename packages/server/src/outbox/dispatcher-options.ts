import type { Database } from '../db/create-database';
import type { BanterLogger } from '../observability/logger';
import type { Broadcaster } from '../realtime/broadcaster';
import type { BackoffOptions } from './backoff';
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
  /**
   * Publish events straight after their commit in the process that wrote them, and mark them
   * delivered in batches (default true). The sweep then takes a row only `fastPathGraceMs` after
   * its commit, or after a failed attempt.
   */
  fastPath?: boolean;
  /** How long the sweep leaves a fresh row to the fast path (default 1000 ms). */
  fastPathGraceMs?: number;
  /**
   * How long the fast path's claim keeps every instance's sweep off a row it publishes (default
   * 5000 ms): its publish times out at half of it (or `sendTimeoutMs`, if shorter), its mark has
   * the rest. Rows of a process that died after its claim are swept when the lease ends.
   */
  fastPathLeaseMs?: number;
  /** Broadcaster calls in flight at once, on the fast path and in a sweep round (default 8). */
  concurrency?: number;
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

/** The options with their defaults, checked. */
export interface ResolvedDispatcherOptions {
  pollIntervalMs: number;
  maxAttempts: number;
  backoff: BackoffOptions;
  retentionMs: number;
  pruneIntervalMs: number;
  roundSize: number;
  sendTimeoutMs: number;
  closeTimeoutMs: number;
  fastPath: boolean;
  fastPathGraceMs: number;
  fastPathLeaseMs: number;
  concurrency: number;
}

/**
 * Defaults and checks: a wrong value is a TypeError naming the option, at creation, not a stalled
 * dispatcher later.
 *
 * @example
 * ```ts
 * resolveDispatcherOptions({ roundSize: 50 }).pollIntervalMs; // 2000
 * ```
 */
export function resolveDispatcherOptions(options: OutboxDispatcherOptions): ResolvedDispatcherOptions {
  const retentionMs = options.retentionMs ?? 24 * 3600_000;
  if (!(retentionMs >= 0)) throw new TypeError('banter: dispatcher retentionMs must be >= 0');
  return {
    pollIntervalMs: positive(options.pollIntervalMs, 2000, 'pollIntervalMs'),
    maxAttempts: Math.max(1, Math.floor(positive(options.maxAttempts, 10, 'maxAttempts'))),
    backoff: {
      baseMs: positive(options.backoffBaseMs, 500, 'backoffBaseMs'),
      capMs: positive(options.backoffCapMs, 60_000, 'backoffCapMs'),
    },
    retentionMs,
    pruneIntervalMs: positive(options.pruneIntervalMs, 60_000, 'pruneIntervalMs'),
    roundSize: Math.max(1, Math.floor(positive(options.roundSize, 100, 'roundSize'))),
    sendTimeoutMs: positive(options.sendTimeoutMs, 10_000, 'sendTimeoutMs'),
    closeTimeoutMs: positive(options.closeTimeoutMs, 5000, 'closeTimeoutMs'),
    fastPath: options.fastPath !== false,
    fastPathGraceMs: positive(options.fastPathGraceMs, 1000, 'fastPathGraceMs'),
    fastPathLeaseMs: positive(options.fastPathLeaseMs, 5000, 'fastPathLeaseMs'),
    concurrency: Math.max(1, Math.floor(positive(options.concurrency, 8, 'concurrency'))),
  };
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0) || !Number.isFinite(value)) throw new TypeError(`banter: dispatcher ${name} must be a positive number`);
  return value;
}
