import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/types';

export type DeliveryChannel = 'email' | 'push';

/** The email and push queue of one channel: what waits, what died, how late the oldest is. */
export interface NotificationQueue {
  /** Waiting, including those backing off after a failed attempt. */
  pending: number;
  /** Failed every attempt (`banter notifications failed` lists them). */
  dead: number;
  /** Age of the oldest pending delivery (0 when none); grows when sending stalls. */
  oldestPendingAgeMs: number;
}

/** A notification delivery that failed every attempt, with its last error. */
export interface FailedNotification {
  id: string;
  userId: string;
  channel: DeliveryChannel;
  conversationId: string | null;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  deadAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The delivery queue by channel (backs `banter notifications status` and the metrics).
 *
 * @example
 * const { email, push } = await notificationQueue(chat.db.kysely);
 */
export async function notificationQueue(db: Kysely<DB>, now = new Date()): Promise<Record<DeliveryChannel, NotificationQueue>> {
  const { rows } = await sql<{ channel: DeliveryChannel; pending: number | string; dead: number | string; oldest: Date | string | null }>`
    select channel, count(*) filter (where dead_at is null) as pending, count(*) filter (where dead_at is not null) as dead,
      min(created_at) filter (where dead_at is null) as oldest
    from notification_deliveries group by channel`.execute(db);
  const empty = (): NotificationQueue => ({ pending: 0, dead: 0, oldestPendingAgeMs: 0 });
  const queue = { email: empty(), push: empty() };
  for (const r of rows) {
    queue[r.channel] = {
      pending: Number(r.pending),
      dead: Number(r.dead),
      oldestPendingAgeMs: r.oldest ? Math.max(0, now.getTime() - new Date(r.oldest).getTime()) : 0,
    };
  }
  return queue;
}

/**
 * Dead deliveries, newest first (backs `banter notifications failed`).
 *
 * @example
 * for (const d of await listFailedNotifications(chat.db.kysely)) console.log(d.id, d.channel, d.lastError);
 */
export async function listFailedNotifications(db: Kysely<DB>, options: { limit?: number } = {}): Promise<FailedNotification[]> {
  const limit = Math.max(1, Math.min(1000, Math.floor(options.limit ?? 50)));
  const { rows } = await sql<{
    id: string;
    user_id: string;
    channel: DeliveryChannel;
    conversation_id: string | null;
    attempts: number;
    last_error: string | null;
    created_at: Date | string;
    dead_at: Date | string;
  }>`
    select id, user_id, channel, payload->>'conversationId' as conversation_id, attempts, last_error, created_at, dead_at
    from notification_deliveries where dead_at is not null order by dead_at desc, id limit ${limit}`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    channel: r.channel,
    conversationId: r.conversation_id,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: new Date(r.created_at),
    deadAt: new Date(r.dead_at),
  }));
}

/**
 * Requeue dead deliveries, due now with a fresh attempt budget (backs `banter notifications retry`).
 * Returns how many were requeued.
 *
 * @example
 * await retryFailedNotifications(chat.db.kysely, { all: true });
 */
export async function retryFailedNotifications(db: Kysely<DB>, target: { all: true } | { id: string }): Promise<number> {
  const id = 'id' in target ? target.id : null;
  if (id !== null && !UUID.test(String(id).trim()))
    throw new TypeError(`banter: invalid notification delivery id ${JSON.stringify(id)}; give a delivery id, or { all: true }`);
  const result = await sql`
    update notification_deliveries set dead_at = null, attempts = 0, next_attempt_at = now()
    where dead_at is not null and (${id}::uuid is null or id = ${id}::uuid)`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
