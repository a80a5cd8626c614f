import { Counter, Gauge, type Registry } from 'prom-client';
import type { DeliveryChannel, NotificationQueue } from './failed';

/** What this process did, by channel: counted as it happens, copied into the counters on scrape. */
export interface NotificationStats {
  /** `notification.due` batches this process emitted. */
  due: number;
  sent: Record<DeliveryChannel, number>;
  /** Failed attempts (each is retried, or ends dead or gone). */
  failed: Record<DeliveryChannel, number>;
  dead: Record<DeliveryChannel, number>;
}

export const newNotificationStats = (): NotificationStats => ({
  due: 0,
  sent: { email: 0, push: 0 },
  failed: { email: 0, push: 0 },
  dead: { email: 0, push: 0 },
});

const CHANNELS: DeliveryChannel[] = ['email', 'push'];

/**
 * `banter_notifications_*` on the chat server's registry: batches due, deliveries sent, failed and
 * dead by channel (this process), and the queue (all instances, read from the table on scrape).
 *
 * @example
 * registerNotificationMetrics(registry, { stats, queue: () => notificationQueue(db) });
 */
export function registerNotificationMetrics(
  registry: Registry,
  sources: { stats: NotificationStats; queue(): Promise<Record<DeliveryChannel, NotificationQueue>> },
): void {
  const registers = [registry];
  const { stats } = sources;
  new Counter({
    name: 'banter_notifications_due_total',
    help: 'notification.due batches this process emitted (one per conversation batch, never per message)',
    registers,
    collect() {
      this.reset();
      this.inc(stats.due);
    },
  });
  const byChannel = (name: string, help: string, pick: (s: NotificationStats) => Record<DeliveryChannel, number>) =>
    new Counter({
      name,
      help,
      labelNames: ['channel'] as const,
      registers,
      collect() {
        this.reset();
        for (const channel of CHANNELS) this.inc({ channel }, pick(stats)[channel]);
      },
    });
  byChannel('banter_notifications_sent_total', 'Emails and pushes this process sent, by channel', (s) => s.sent);
  byChannel('banter_notifications_failed_total', 'Failed email and push attempts in this process (retried, or dead)', (s) => s.failed);
  byChannel('banter_notifications_dead_letters_total', 'Emails and pushes this process gave up on, by channel', (s) => s.dead);

  // One scrape reads the table once for all three gauges.
  let read: Promise<Record<DeliveryChannel, NotificationQueue> | null> | null = null;
  const queue = () => {
    read ??= sources
      .queue()
      .catch(() => null)
      .finally(() => {
        read = null;
      });
    return read;
  };
  const gauge = (name: string, help: string, pick: (q: NotificationQueue) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['channel'] as const,
      registers,
      async collect() {
        const q = await queue();
        // Database away: keep the last value rather than report a misleading 0.
        if (q) for (const channel of CHANNELS) this.set({ channel }, pick(q[channel]));
      },
    });
  gauge('banter_notifications_pending', 'Emails and pushes waiting, including those backing off (all instances)', (q) => q.pending);
  gauge('banter_notifications_dead', 'Emails and pushes that failed every attempt (banter notifications failed lists them)', (q) => q.dead);
  gauge(
    'banter_notifications_oldest_pending_age_seconds',
    'Age of the oldest email or push waiting; grows when sending stalls',
    (q) => q.oldestPendingAgeMs / 1000,
  );
}
