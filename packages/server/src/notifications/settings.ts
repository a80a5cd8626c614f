import {
  NOTIFICATION_LIMITS,
  type NotificationSettings,
  type NotificationSettingsInput,
  type PushSubscriptionInput,
  type PushSubscriptionResponse,
} from '@banter/core/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../db/types';
import { ensureUsers } from '../store/users';

type Executor = Kysely<DB> | Transaction<DB>;

/** A user's settings as they apply: their own choices over the server's defaults. */
export async function getNotificationSettings(exec: Executor, userId: string, defaultDelay: number): Promise<NotificationSettings> {
  const row = await exec
    .selectFrom('notification_settings')
    .select(['delay_minutes', 'email', 'push'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return {
    delayMinutes: row?.delay_minutes ?? defaultDelay,
    defaultDelay: row?.delay_minutes == null,
    email: row?.email ?? true,
    push: row?.push ?? true,
  };
}

/** Change some of a user's settings (fields left out keep their value). */
export async function updateNotificationSettings(
  exec: Executor,
  userId: string,
  input: NotificationSettingsInput,
  defaultDelay: number,
): Promise<NotificationSettings> {
  await ensureUsers(exec, [userId]);
  const change = {
    ...(input.delayMinutes !== undefined ? { delay_minutes: input.delayMinutes } : {}),
    ...(input.email !== undefined ? { email: input.email } : {}),
    ...(input.push !== undefined ? { push: input.push } : {}),
  };
  await exec
    .insertInto('notification_settings')
    .values({ user_id: userId, ...change })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...change, updated_at: sql`now()` }))
    .execute();
  return getNotificationSettings(exec, userId, defaultDelay);
}

/**
 * Keep a browser's push subscription for `userId`. The endpoint is the browser's: registered again
 * (new keys, or another user signed in on it) it moves to this user. Beyond the per-user limit the
 * oldest goes.
 */
export async function savePushSubscription(
  exec: Executor,
  userId: string,
  input: PushSubscriptionInput,
): Promise<PushSubscriptionResponse> {
  await ensureUsers(exec, [userId]);
  const row = await exec
    .insertInto('push_subscriptions')
    .values({ user_id: userId, endpoint: input.endpoint, p256dh: input.keys.p256dh, auth: input.keys.auth })
    .onConflict((oc) =>
      oc.column('endpoint').doUpdateSet({ user_id: userId, p256dh: input.keys.p256dh, auth: input.keys.auth, created_at: sql`now()` }),
    )
    .returning(['id', 'endpoint', 'created_at'])
    .executeTakeFirstOrThrow();
  await sql`
    delete from push_subscriptions where user_id = ${userId} and id not in (
      select id from push_subscriptions where user_id = ${userId}
      order by created_at desc, id limit ${NOTIFICATION_LIMITS.subscriptionsPerUser}::int)`.execute(exec);
  return { subscription: { id: row.id, endpoint: row.endpoint, createdAt: new Date(row.created_at).toISOString() } };
}

/** Remove one of the user's own subscriptions (someone else's reads as not there). */
export async function deletePushSubscription(exec: Executor, userId: string, subscriptionId: string): Promise<boolean> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(subscriptionId)) return false;
  const result = await exec
    .deleteFrom('push_subscriptions')
    .where('id', '=', subscriptionId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
