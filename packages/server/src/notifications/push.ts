import type { NotificationPush } from '@banter/core/protocol';
import { importOptionalPeer } from '../optional-peer';
import type { Database } from '../db/create-database';
import type { NotificationPushOptions } from './config';
import type { Channel } from './deliveries';

/** What a push carries (the service worker's side reads the same type). */
export type PushPayload = NotificationPush;

/**
 * The Web Push channel: web-push (an optional peer) with the host's VAPID keys, one push per
 * subscription. A 404 or 410 answer means the browser dropped it: the subscription is removed.
 */
export function createPushChannel(options: NotificationPushOptions, database: Database, timeoutMs: number): Channel {
  let loaded: Promise<typeof import('web-push')> | null = null;
  const load = () =>
    (loaded ??= importOptionalPeer(() => import('web-push'), { name: 'web-push', neededFor: 'Web Push notifications' }).then(
      (module) => ((module as unknown as { default?: typeof module }).default ?? module) as typeof import('web-push'),
    ));
  return async (row) => {
    if (!row.subscription_id) return { ok: true };
    const subscription = await database.kysely
      .selectFrom('push_subscriptions')
      .select(['endpoint', 'p256dh', 'auth'])
      .where('id', '=', row.subscription_id)
      .executeTakeFirst();
    if (!subscription) return { ok: true };
    const due = row.payload;
    const latest = due.previews.at(-1);
    const payload: PushPayload = {
      type: 'notification.due',
      conversationId: due.conversationId,
      unreadCount: due.unreadCount,
      lastSeq: due.lastSeq,
      title: latest?.senderName ?? latest?.senderId ?? 'New messages',
      body: latest?.body ?? '',
    };
    const webpush = await load();
    try {
      await webpush.sendNotification(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        JSON.stringify(payload),
        {
          vapidDetails: { subject: options.subject, publicKey: options.vapidPublicKey, privateKey: options.vapidPrivateKey },
          TTL: options.ttlSeconds ?? 3600,
          timeout: timeoutMs,
        },
      );
      return { ok: true };
    } catch (error) {
      const status = (error as { statusCode?: unknown }).statusCode;
      const message = typeof status === 'number' ? `push service answered ${status}` : String((error as Error)?.message ?? error);
      return { ok: false, error: message, gone: status === 404 || status === 410 };
    }
  };
}
