import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/types';
import type { WebhookEndpoint } from './config';

type Exec = Kysely<DB>;

/** A delivery claimed for one attempt. */
export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event: string;
  payload: unknown;
  attempts: number;
  created_at: Date | string;
}

/**
 * Make the table match this process's config: configured endpoints enabled (events and URL as
 * given), others disabled (their pending deliveries stay, for an instance that still has them).
 */
export async function syncEndpoints(db: Exec, endpoints: WebhookEndpoint[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const e of endpoints) {
      await sql`
        insert into webhook_endpoints (id, url, events) values (${e.id}, ${e.url}, ${e.events}::text[])
        on conflict (id) do update set url = excluded.url, events = excluded.events, enabled = true, updated_at = now()
        where webhook_endpoints.url <> excluded.url or webhook_endpoints.events <> excluded.events or not webhook_endpoints.enabled`.execute(
        trx,
      );
    }
    await sql`update webhook_endpoints set enabled = false, updated_at = now()
      where enabled and not (id = any(${endpoints.map((e) => e.id)}::text[]))`.execute(trx);
  });
}

/** Due deliveries of these endpoints, oldest first; the claim holds them for `leaseSeconds`. */
export async function claimDeliveries(db: Exec, endpointIds: string[], limit: number, leaseSeconds: number): Promise<DeliveryRow[]> {
  const result = await sql<DeliveryRow>`
    update webhook_deliveries set attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ${leaseSeconds})
    where id in (
      select id from webhook_deliveries
      where delivered_at is null and dead_at is null and next_attempt_at <= now() and endpoint_id = any(${endpointIds}::text[])
      order by next_attempt_at limit ${limit} for update skip locked)
    returning id, endpoint_id, event, payload, attempts, created_at`.execute(db);
  return result.rows;
}

/** What one attempt did; `retryInMs` null: delivered (2xx) or given up (`dead`). */
export interface AttemptOutcome {
  status: number | null;
  durationMs: number;
  error: string | null;
  delivered: boolean;
  dead: boolean;
  retryInMs: number;
}

/** Record an attempt in the delivery log and move the delivery on (delivered, retry later, or dead). */
export async function recordAttempt(db: Exec, id: string, outcome: AttemptOutcome): Promise<void> {
  const error = outcome.error?.slice(0, 500) ?? null;
  await db.transaction().execute(async (trx) => {
    await sql`insert into webhook_attempts (delivery_id, status, duration_ms, error)
      values (${id}::uuid, ${outcome.status}, ${Math.round(outcome.durationMs)}, ${error})`.execute(trx);
    await sql`
      update webhook_deliveries set last_status = ${outcome.status}, last_error = ${error},
        delivered_at = case when ${outcome.delivered}::boolean then now() end,
        dead_at = case when ${outcome.dead}::boolean then now() end,
        next_attempt_at = now() + make_interval(secs => ${outcome.retryInMs / 1000})
      where id = ${id}::uuid`.execute(trx);
  });
}

/** Drop delivered rows (and their log) older than `hours`, in bounded batches. */
export async function pruneDelivered(db: Exec, hours: number, batch = 1000): Promise<number> {
  const result = await sql`
    delete from webhook_deliveries where id in (
      select id from webhook_deliveries where delivered_at is not null and delivered_at < now() - make_interval(hours => ${hours})
      limit ${batch} for update skip locked)`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Pending, dead and oldest-pending age, for metrics (all instances). */
export async function deliveryCounts(db: Exec): Promise<{ pending: number; dead: number; oldestPendingAgeMs: number }> {
  const { rows } = await sql<{ pending: number; dead: number; age: number | null }>`
    select (select count(*)::int from webhook_deliveries where delivered_at is null and dead_at is null) as pending,
           (select count(*)::int from webhook_deliveries where dead_at is not null) as dead,
           (select extract(epoch from now() - min(created_at)) * 1000 from webhook_deliveries
             where delivered_at is null and dead_at is null)::float8 as age`.execute(db);
  const row = rows[0]!;
  return { pending: Number(row.pending), dead: Number(row.dead), oldestPendingAgeMs: Number(row.age ?? 0) };
}
