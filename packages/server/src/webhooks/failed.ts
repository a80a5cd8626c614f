import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/types';

/** A webhook delivery that failed every attempt (a dead letter), with its last outcome. */
export interface FailedWebhook {
  id: string;
  endpointId: string;
  event: string;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deadAt: Date;
}

/** One line of a delivery's log. */
export interface WebhookAttempt {
  status: number | null;
  durationMs: number;
  error: string | null;
  attemptedAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Dead webhook deliveries, newest first (backs `banter webhooks failed`).
 *
 * @example
 * for (const d of await listFailedWebhooks(chat.db.kysely)) console.log(d.id, d.event, d.lastStatus);
 */
export async function listFailedWebhooks(db: Kysely<DB>, options: { limit?: number } = {}): Promise<FailedWebhook[]> {
  const limit = Math.max(1, Math.min(1000, Math.floor(options.limit ?? 50)));
  const { rows } = await sql<{
    id: string;
    endpoint_id: string;
    event: string;
    attempts: number;
    last_status: number | null;
    last_error: string | null;
    created_at: Date | string;
    dead_at: Date | string;
  }>`
    select id, endpoint_id, event, attempts, last_status, last_error, created_at, dead_at from webhook_deliveries
    where dead_at is not null order by dead_at desc, id limit ${limit}`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    endpointId: r.endpoint_id,
    event: r.event,
    attempts: r.attempts,
    lastStatus: r.last_status,
    lastError: r.last_error,
    createdAt: new Date(r.created_at),
    deadAt: new Date(r.dead_at),
  }));
}

/**
 * Requeue dead deliveries, due now with a fresh attempt budget (backs `banter webhooks retry`).
 * Returns how many were requeued.
 *
 * @example
 * await retryFailedWebhooks(chat.db.kysely, { all: true });
 */
export async function retryFailedWebhooks(db: Kysely<DB>, target: { all: true } | { id: string }): Promise<number> {
  const id = 'id' in target ? target.id : null;
  if (id !== null && !UUID.test(String(id).trim()))
    throw new TypeError(`banter: invalid webhook delivery id ${JSON.stringify(id)}; give a delivery id, or { all: true }`);
  const result = await sql`
    update webhook_deliveries set dead_at = null, attempts = 0, next_attempt_at = now()
    where dead_at is not null and (${id}::uuid is null or id = ${id}::uuid)`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * The delivery log of one delivery: every attempt with status and duration, oldest first.
 *
 * @example
 * const log = await webhookAttempts(chat.db.kysely, deliveryId);
 */
export async function webhookAttempts(db: Kysely<DB>, deliveryId: string): Promise<WebhookAttempt[]> {
  if (!UUID.test(deliveryId)) return [];
  const { rows } = await sql<{ status: number | null; duration_ms: number; error: string | null; attempted_at: Date | string }>`
    select status, duration_ms, error, attempted_at from webhook_attempts where delivery_id = ${deliveryId}::uuid order by id`.execute(db);
  return rows.map((r) => ({ status: r.status, durationMs: r.duration_ms, error: r.error, attemptedAt: new Date(r.attempted_at) }));
}
