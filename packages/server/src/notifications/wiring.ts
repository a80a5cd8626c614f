import type { Registry } from 'prom-client';
import type { Database } from '../db/create-database';
import type { BanterLogger } from '../observability/logger';
import type { StoreContext } from '../store/context';
import { knownPushService, type NotificationsOption, notificationsConfig } from './config';
import { type Channel, deliverDue, enqueueDeliveries } from './deliveries';
import { createEmailChannel } from './email';
import { notificationQueue } from './failed';
import { newNotificationStats, registerNotificationMetrics } from './metrics';
import { createPushChannel } from './push';
import { runDueNotifications } from './scheduler';

/** `chat.notifications`: run a round now instead of at the next poll (tests, cron). */
export interface ChatNotifications {
  /** Emit `notification.due` for every batch due at `now` (default: now); returns how many. */
  runDue(now?: Date): Promise<number>;
  /** Send the emails and pushes due at `now`; returns how many were sent. */
  deliverDue(now?: Date): Promise<number>;
}

/** What the operations need (ServerState.notifications). */
export interface NotificationHooks {
  delayMinutes: number;
  /** For clients' `pushManager.subscribe` (null: no Web Push). */
  vapidPublicKey: string | null;
  /** Whether a push subscription's endpoint may be registered. */
  allowEndpoint(url: URL): boolean;
}

/**
 * Notifications for people who are away (docs/notifications.md): the scheduler that emits
 * `notification.due`, and the email and Web Push channels when configured. Both poll every
 * `pollMs` once migrations ran; with `dispatch: false` (CLI commands) nothing runs by itself.
 *
 * @example
 * ```ts
 * const notifications = createNotifications(options, { database, store, logger, onError });
 * notifications.start(); // after migrations
 * ```
 */
export function createNotifications(
  server: { notifications?: NotificationsOption; dispatch?: boolean },
  options: {
    database: Database;
    store: StoreContext;
    logger: BanterLogger;
    onError: (error: unknown) => void;
    env?: Record<string, string | undefined>;
  },
) {
  const config = notificationsConfig(server.notifications, options.env ?? process.env);
  const { database, store } = options;
  const logger = options.logger.child({ component: 'notifications' });
  const channels: Partial<Record<'email' | 'push', Channel>> = {
    ...(config.email ? { email: createEmailChannel(config.email, database, config.timeoutMs) } : {}),
    ...(config.push ? { push: createPushChannel(config.push, database, config.timeoutMs) } : {}),
  };
  const stats = newNotificationStats();
  const api: ChatNotifications = {
    runDue: async (now = new Date()) => {
      const due = await runDueNotifications(store, now, {
        delayMinutes: config.delayMinutes,
        onDue: (trx, due, wanted) =>
          enqueueDeliveries(trx, due, { email: wanted.email && !!config.email, push: wanted.push && !!config.push }),
      });
      stats.due += due;
      return due;
    },
    deliverDue: (now = new Date()) =>
      deliverDue(database, channels, {
        now,
        retryDelaysMs: config.retryDelaysMs,
        logger,
        onOutcome(channel, result) {
          if (result === 'sent') stats.sent[channel]++;
          else stats.failed[channel]++;
          if (result === 'dead') stats.dead[channel]++;
        },
      }),
  };
  let timer: ReturnType<typeof setInterval> | null = null;
  let running: Promise<void> | null = null;
  const round = () => {
    running ??= (async () => {
      await api.runDue();
      if (config.email || config.push) await api.deliverDue();
    })()
      .catch(options.onError)
      .finally(() => {
        running = null;
      });
  };
  const hooks: NotificationHooks = {
    delayMinutes: config.delayMinutes,
    vapidPublicKey: config.push?.vapidPublicKey ?? null,
    allowEndpoint: config.push?.allowEndpoint ?? knownPushService,
  };
  return {
    api,
    hooks,
    start() {
      if (server.dispatch === false || timer) return;
      timer = setInterval(round, config.pollMs);
      timer.unref?.();
    },
    /** `banter_notifications_*` metrics on the chat server's registry. */
    registerMetrics(registry: Registry) {
      registerNotificationMetrics(registry, { stats, queue: () => notificationQueue(database.kysely) });
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
