import { sql } from 'kysely';
import type { Database } from '../db/create-database';

/** The outbox's state, read from the table (so it covers every instance). */
export interface OutboxMetrics {
  /** Rows waiting for delivery, including those backing off after a failure. */
  pending: number;
  /** Delivered rows still kept (pruned after the retention period). */
  delivered: number;
  /** Dead letters (see `listFailedEvents`). */
  dead: number;
  /** Age of the oldest pending row in milliseconds; 0 when nothing is pending. */
  oldestPendingAgeMs: number;
}

/**
 * Count the outbox by state. `oldestPendingAgeMs` is the number to alert on: it grows when delivery
 * stalls (broadcaster down, no dispatcher running).
 *
 * @example
 * ```ts
 * const { pending, dead, oldestPendingAgeMs } = await outboxMetrics(chat.db);
 * ```
 */
export async function outboxMetrics(database: Database): Promise<OutboxMetrics> {
  const result = await sql<{ pending: number | string; delivered: number | string; dead: number | string; age_ms: number | string | null }>`
    select
      count(*) filter (where delivered_at is null and dead_at is null) as pending,
      count(*) filter (where delivered_at is not null) as delivered,
      count(*) filter (where dead_at is not null and delivered_at is null) as dead,
      (extract(epoch from (now() - min(created_at) filter (where delivered_at is null and dead_at is null))) * 1000)::float8 as age_ms
    from outbox`.execute(database.kysely);
  const row = result.rows[0];
  return {
    pending: Number(row?.pending ?? 0),
    delivered: Number(row?.delivered ?? 0),
    dead: Number(row?.dead ?? 0),
    oldestPendingAgeMs: Math.max(0, Math.round(Number(row?.age_ms ?? 0))),
  };
}
