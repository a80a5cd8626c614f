import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/create-database';
import type { DB } from '../db/types';
import type { BanterLogger } from '../observability/logger';
import type { NotificationDue } from './scheduler';

/** What a channel answers for one attempt. */
export type SendOutcome = { ok: true } | { ok: false; error: string; gone?: boolean };

export interface DeliveryRow {
  id: string;
  user_id: string;
  channel: 'email' | 'push';
  subscription_id: string | null;
  payload: NotificationDue;
  attempts: number;
}

export type Channel = (row: DeliveryRow) => Promise<SendOutcome>;

/** At most this many pushes per user and notification (one per subscription). */
export const MAX_PUSH_SUBSCRIPTIONS = 10;
// A claimed delivery whose process died is due again after this.
const LEASE_MS = 120_000;

/** Queue the email and pushes of one notification, in its transaction (the scheduler's onDue). */
export async function enqueueDeliveries(trx: Kysely<DB>, due: NotificationDue, channels: { email: boolean; push: boolean }): Promise<void> {
  const payload = JSON.stringify(due);
  if (channels.email) {
    await trx.insertInto('notification_deliveries').values({ user_id: due.userId, channel: 'email', payload }).execute();
  }
  if (channels.push) {
    await sql`
      insert into notification_deliveries (user_id, channel, subscription_id, payload)
      select user_id, 'push', id, ${payload}::jsonb from push_subscriptions
      where user_id = ${due.userId} order by created_at desc limit ${MAX_PUSH_SUBSCRIPTIONS}::int`.execute(trx);
  }
}

/**
 * Send what is due: claim rows (`FOR UPDATE SKIP LOCKED`, a lease), send each through its channel
 * outside any transaction, then delete it (sent), back off (failed) or mark it dead (every attempt
 * failed). A push service's 404/410 removes the subscription. Returns how many were sent.
 */
export async function deliverDue(
  database: Database,
  channels: Partial<Record<'email' | 'push', Channel>>,
  options: {
    now: Date;
    retryDelaysMs: number[];
    logger: BanterLogger;
    limit?: number;
    /** Each attempt's result (metrics): sent, failed (retried later), dead, or gone (subscription removed). */
    onOutcome?: (channel: 'email' | 'push', result: 'sent' | 'failed' | 'dead' | 'gone') => void;
  },
): Promise<number> {
  const db = database.kysely;
  const { rows } = await sql<DeliveryRow>`
    update notification_deliveries d
    set attempts = d.attempts + 1, next_attempt_at = ${new Date(options.now.getTime() + LEASE_MS).toISOString()}::timestamptz
    where d.id in (
      select id from notification_deliveries
      where dead_at is null and next_attempt_at <= ${options.now.toISOString()}::timestamptz
      order by next_attempt_at limit ${options.limit ?? 50}::int
      for update skip locked)
    returning d.id, d.user_id, d.channel, d.subscription_id, d.payload, d.attempts`.execute(db);
  let sent = 0;
  await Promise.all(
    rows.map(async (row) => {
      const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
      const channel = channels[row.channel];
      let outcome: SendOutcome;
      try {
        outcome = channel ? await channel({ ...row, payload }) : { ok: false, error: `${row.channel} is not configured` };
      } catch (error) {
        outcome = { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
      const fields = { component: 'notifications', deliveryId: row.id, channel: row.channel, attempt: row.attempts };
      if (outcome.ok) {
        sent++;
        options.onOutcome?.(row.channel, 'sent');
        await db.deleteFrom('notification_deliveries').where('id', '=', row.id).execute();
        return;
      }
      if (outcome.gone && row.subscription_id) {
        options.onOutcome?.(row.channel, 'gone');
        options.logger.info({ ...fields, error: outcome.error }, 'push subscription gone; removed');
        await db.deleteFrom('push_subscriptions').where('id', '=', row.subscription_id).execute();
        return;
      }
      const delay = options.retryDelaysMs[row.attempts - 1];
      options.onOutcome?.(row.channel, delay === undefined ? 'dead' : 'failed');
      if (delay === undefined) {
        options.logger.error({ ...fields, error: outcome.error }, 'notification dead: every attempt failed');
        await db
          .updateTable('notification_deliveries')
          .set({ dead_at: options.now, last_error: outcome.error })
          .where('id', '=', row.id)
          .execute();
        return;
      }
      const retryInMs = Math.round(delay * (0.8 + 0.4 * Math.random()));
      options.logger.warn({ ...fields, error: outcome.error, retryInMs }, 'notification attempt failed; retrying');
      await db
        .updateTable('notification_deliveries')
        .set({ next_attempt_at: new Date(options.now.getTime() + retryInMs), last_error: outcome.error.slice(0, 500) })
        .where('id', '=', row.id)
        .execute();
    }),
  );
  return sent;
}
