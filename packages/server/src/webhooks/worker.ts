import type { Database } from '../db/create-database';
import type { BanterLogger } from '../observability/logger';
import type { OutboxSignal } from '../outbox/signal';
import { DEFAULT_RETRY_DELAYS_MS, type WebhookDeliveryOptions, type WebhookEndpoint } from './config';
import { type AttemptOutcome, claimDeliveries, type DeliveryRow, pruneDelivered, recordAttempt } from './queries';
import { webhookHeaders } from './signature';

/** Bodies beyond this are sent without `data` (`truncated: true`): event payloads are small by design. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;
// A claimed delivery whose process died is due again after this (longer than any attempt).
const LEASE_SECONDS = 120;

export interface WebhookWorkerStats {
  delivered: number;
  failedAttempts: number;
  deadLetters: number;
}

export interface WebhookWorker {
  start(): void;
  stop(): Promise<void>;
  /** Attempt what is due now (tests, and the wake-up after a commit). */
  wake(): void;
  stats(): WebhookWorkerStats;
  /** Called after every attempt (metrics). */
  onAttempt: ((endpointId: string, outcome: AttemptOutcome) => void) | null;
}

/** The body of one delivery: the Standard Webhooks shape `{ type, timestamp, data }`. */
export function webhookBody(row: Pick<DeliveryRow, 'event' | 'payload' | 'created_at'>): string {
  const timestamp = new Date(row.created_at).toISOString();
  const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
  const body = JSON.stringify({ type: row.event, timestamp, data: payload });
  if (Buffer.byteLength(body) <= MAX_WEBHOOK_BODY_BYTES) return body;
  const conversationId = (payload as { conversationId?: unknown } | null)?.conversationId;
  return JSON.stringify({ type: row.event, timestamp, data: { conversationId: conversationId ?? null }, truncated: true });
}

/**
 * Delivers `webhook_deliveries` to the host's endpoints: its own queue, its own claims and its own
 * pool of at most `concurrency` requests in flight, so a slow or failing endpoint holds only its
 * attempts, never the realtime dispatcher. Each attempt is logged (status, duration) and either
 * completes the delivery (2xx), schedules the next one, or turns it into a dead letter.
 *
 * @example
 * ```ts
 * const worker = createWebhookWorker({ database, endpoints, delivery: {}, logger });
 * worker.start();
 * ```
 */
export function createWebhookWorker(options: {
  database: Database;
  endpoints: WebhookEndpoint[];
  delivery: WebhookDeliveryOptions;
  logger: BanterLogger;
  signal?: OutboxSignal;
  onError?: (error: unknown) => void;
}): WebhookWorker {
  const { database, endpoints, logger } = options;
  const byId = new Map(endpoints.map((e) => [e.id, e]));
  const ids = endpoints.map((e) => e.id);
  const wanted = new Set(endpoints.flatMap((e) => e.events));
  const delays = options.delivery.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const timeoutMs = options.delivery.timeoutMs ?? 10_000;
  const concurrency = Math.max(1, options.delivery.concurrency ?? 8);
  const pollMs = options.delivery.pollMs ?? 1000;
  const keepHours = options.delivery.keepDeliveredHours ?? 72;
  const stats: WebhookWorkerStats = { delivered: 0, failedAttempts: 0, deadLetters: 0 };
  const inFlight = new Set<Promise<void>>();
  let claiming = false;
  let again = false;
  let stopped = true;
  let timer: ReturnType<typeof setInterval> | null = null;
  let unsubscribe: (() => void) | null = null;
  let lastPrune = 0;
  const fail = (error: unknown) => options.onError?.(error);

  async function attempt(row: DeliveryRow): Promise<void> {
    const endpoint = byId.get(row.endpoint_id)!;
    const body = webhookBody(row);
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const headers = webhookHeaders(row.id, Math.floor(Date.now() / 1000), body, endpoint.secrets);
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'Banter-Webhooks/1' },
        body,
        // A redirect is a misconfiguration to fix, not a hop to follow (it could lead anywhere).
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      await response.body?.cancel().catch(() => {});
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (caught) {
      error =
        caught instanceof Error && caught.name === 'TimeoutError'
          ? `timed out after ${timeoutMs} ms`
          : String((caught as Error)?.message ?? caught);
    }
    const durationMs = performance.now() - started;
    const delivered = error === null;
    const dead = !delivered && row.attempts > delays.length;
    const retryInMs = delivered || dead ? 0 : delays[row.attempts - 1]! * (0.8 + 0.4 * Math.random());
    const outcome: AttemptOutcome = { status, durationMs, error, delivered, dead, retryInMs };
    if (delivered) stats.delivered++;
    else stats.failedAttempts++;
    if (dead) stats.deadLetters++;
    const fields = {
      deliveryId: row.id,
      endpoint: endpoint.id,
      event: row.event,
      attempt: row.attempts,
      status,
      durationMs: Math.round(durationMs),
    };
    if (delivered) logger.info(fields, 'webhook delivered');
    else if (dead) logger.error({ ...fields, error }, 'webhook dead letter: every attempt failed (banter webhooks failed)');
    else logger.warn({ ...fields, error, retryInMs: Math.round(retryInMs) }, 'webhook attempt failed; retrying');
    worker.onAttempt?.(endpoint.id, outcome);
    await recordAttempt(database.kysely, row.id, outcome);
  }

  async function fill(): Promise<void> {
    if (claiming) {
      again = true;
      return;
    }
    claiming = true;
    try {
      do {
        again = false;
        const free = concurrency - inFlight.size;
        if (stopped || free <= 0) break;
        const rows = await claimDeliveries(database.kysely, ids, free, LEASE_SECONDS);
        for (const row of rows) {
          const running: Promise<void> = attempt(row)
            .catch(fail)
            .finally(() => {
              inFlight.delete(running);
              void fill();
            });
          inFlight.add(running);
        }
        if (rows.length === free) again = true;
      } while (again);
    } catch (error) {
      fail(error);
    } finally {
      claiming = false;
    }
    if (!stopped && Date.now() - lastPrune > 600_000) {
      lastPrune = Date.now();
      await pruneDelivered(database.kysely, keepHours).catch(fail);
    }
  }

  const worker: WebhookWorker = {
    onAttempt: null,
    start() {
      if (!stopped || ids.length === 0) return;
      stopped = false;
      timer = setInterval(() => void fill(), pollMs);
      timer.unref?.();
      // Woken by commits that wrote an event an endpoint wants (host-only rows wake by the poll).
      unsubscribe =
        options.signal?.subscribe((rows) => {
          if (!rows || wanted.has('*') || rows.some((row) => wanted.has(row.event))) void fill();
        }) ?? null;
      void fill();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      unsubscribe?.();
      // In-flight attempts finish (bounded by timeoutMs); what is left stays due for the next start.
      await Promise.allSettled([...inFlight]);
    },
    wake() {
      void fill();
    },
    stats: () => ({ ...stats }),
  };
  return worker;
}
