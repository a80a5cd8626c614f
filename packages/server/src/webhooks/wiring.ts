import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Database } from '../db/create-database';
import type { BanterLogger } from '../observability/logger';
import type { OutboxSignal } from '../outbox/signal';
import { normalizeEndpoints, type WebhooksOption, webhooksFromEnv } from './config';
import { type FailedWebhook, listFailedWebhooks, retryFailedWebhooks, type WebhookAttempt, webhookAttempts } from './failed';
import { deliveryCounts, syncEndpoints } from './queries';
import { createWebhookWorker } from './worker';

/** `chat.webhooks`: dead letters and the delivery log (`banter webhooks failed` / `retry`). */
export interface ChatWebhooks {
  failed(options?: { limit?: number }): Promise<FailedWebhook[]>;
  retry(target: { all: true } | { id: string }): Promise<number>;
  /** The attempts of one delivery (status, duration, error), oldest first. */
  attempts(deliveryId: string): Promise<WebhookAttempt[]>;
  /** Attempt what is due now instead of at the next poll. */
  deliverNow(): void;
}

/**
 * The webhooks part of the chat server: the endpoints (the `webhooks` option, else
 * BANTER_WEBHOOK_*), synced to the table the outbox trigger reads once migrations ran, and the
 * delivery worker. With `dispatch: false` (CLI commands) it syncs nothing and sends nothing.
 *
 * @example
 * ```ts
 * const webhooks = createWebhooks(options, { database, logger, signal, onError });
 * webhooks.start(); // after migrations
 * ```
 */
export function createWebhooks(
  server: { webhooks?: WebhooksOption; dispatch?: boolean },
  options: {
    database: Database;
    logger: BanterLogger;
    signal: OutboxSignal;
    onError: (error: unknown) => void;
    env?: Record<string, string | undefined>;
  },
) {
  const { endpoints, delivery } = normalizeEndpoints(server.webhooks ?? webhooksFromEnv(options.env ?? process.env));
  const deliver = server.dispatch !== false;
  const { database } = options;
  const logger = options.logger.child({ component: 'webhooks' });
  const worker = createWebhookWorker({ database, endpoints, delivery, logger, signal: options.signal, onError: options.onError });
  const api: ChatWebhooks = {
    failed: (o) => listFailedWebhooks(database.kysely, o),
    retry: async (target) => {
      const count = await retryFailedWebhooks(database.kysely, target);
      worker.wake();
      return count;
    },
    attempts: (id) => webhookAttempts(database.kysely, id),
    deliverNow: () => worker.wake(),
  };
  let started: Promise<void> | null = null;
  return {
    api,
    start() {
      if (!deliver) return;
      started ??= syncEndpoints(database.kysely, endpoints)
        .then(() => worker.start())
        .catch(options.onError);
    },
    async stop() {
      await started;
      await worker.stop();
    },
    /** `banter_webhook_*` metrics on the chat server's registry. */
    registerMetrics(registry: Registry) {
      const registers = [registry];
      const attempts = new Histogram({
        name: 'banter_webhook_attempt_duration_seconds',
        help: 'Webhook delivery attempts by endpoint and result (delivered, failed, dead); _count counts attempts',
        labelNames: ['endpoint', 'result'] as const,
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers,
      });
      worker.onAttempt = (endpoint, o) =>
        attempts.observe({ endpoint, result: o.delivered ? 'delivered' : o.dead ? 'dead' : 'failed' }, o.durationMs / 1000);
      let read: Promise<Awaited<ReturnType<typeof deliveryCounts>> | null> | null = null;
      const counts = () => {
        read ??= deliveryCounts(database.kysely)
          .catch(() => null)
          .finally(() => {
            read = null;
          });
        return read;
      };
      const gauge = (name: string, help: string, pick: (c: Awaited<ReturnType<typeof deliveryCounts>>) => number) =>
        new Gauge({
          name,
          help,
          registers,
          async collect() {
            if (endpoints.length === 0) return;
            const c = await counts();
            if (c) this.set(pick(c));
          },
        });
      gauge('banter_webhook_pending', 'Webhook deliveries waiting, including those backing off (all instances)', (c) => c.pending);
      gauge('banter_webhook_dead', 'Webhook dead letters (banter webhooks failed lists them)', (c) => c.dead);
      gauge('banter_webhook_oldest_pending_age_seconds', 'Age of the oldest pending webhook delivery', (c) => c.oldestPendingAgeMs / 1000);
      new Counter({
        name: 'banter_webhook_dead_letters_total',
        help: 'Webhook deliveries this process gave up on',
        registers,
        collect() {
          this.reset();
          this.inc(worker.stats().deadLetters);
        },
      });
    },
  };
}
