import type pg from 'pg';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OutboxDispatcherStats } from '../outbox/dispatcher';
import type { OutboxMetrics } from '../outbox/metrics';
import type { RelayStats } from '../relay/types';

/** What the chat server records as requests come and go; the rest is read on scrape. */
export interface ChatServerMetrics {
  /** This chat server's own registry (never prom-client's global one: several servers share a process in tests). */
  readonly registry: Registry;
  /** `route` is the pattern (`/conversations/:id/messages`) or `unmatched`: never a raw path. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  messageSent(via: 'http' | 'api'): void;
}

export interface ChatMetricsSources {
  /** The outbox table's state (all instances); null when the database cannot answer now. */
  outbox(): Promise<OutboxMetrics | null>;
  /** This process's dispatcher counters, or null when it runs no dispatcher. */
  dispatcher(): OutboxDispatcherStats | null;
  /** The PostgreSQL pool (null on PGlite: one connection, nothing to watch). */
  pool: pg.Pool | null;
}

const METHODS = new Set(['GET', 'POST', 'OPTIONS', 'HEAD', 'PUT', 'PATCH', 'DELETE']);
// Chat requests are a few ms; the tail (cold PGlite, a locked conversation) is what alerts need.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The chat server's Prometheus metrics on a registry of its own: HTTP requests by route pattern and
 * status, messages sent, the outbox (read from the table on scrape) and the dispatcher's counters,
 * and the PostgreSQL pool.
 *
 * @example
 * const metrics = createChatServerMetrics({ outbox: () => outboxMetrics(db), dispatcher: () => null, pool: null });
 * metrics.observeRequest('GET', '/conversations', 200, 0.004);
 * console.log(await metrics.registry.metrics());
 */
export function createChatServerMetrics(sources: ChatMetricsSources, registry: Registry = new Registry()): ChatServerMetrics {
  const registers = [registry];
  const requests = new Histogram({
    name: 'banter_http_request_duration_seconds',
    help: 'Chat API requests by method, route pattern and status (the _count series counts requests)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const sent = new Counter({
    name: 'banter_messages_sent_total',
    help: 'Messages stored (retried duplicates not counted), by way in: http (the API) or api (chat.api.sendMessage)',
    labelNames: ['via'] as const,
    registers,
  });

  // One scrape calls every collect() at once: they share the read in flight; the next scrape reads anew.
  let outboxRead: Promise<OutboxMetrics | null> | null = null;
  const readOutbox = (): Promise<OutboxMetrics | null> => {
    outboxRead ??= sources
      .outbox()
      .catch(() => null)
      .finally(() => {
        outboxRead = null;
      });
    return outboxRead;
  };
  const outboxGauge = (name: string, help: string, pick: (m: OutboxMetrics) => number) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        const metrics = await readOutbox();
        // Database away: keep the last value rather than report a misleading 0.
        if (metrics) this.set(pick(metrics));
      },
    });
  outboxGauge('banter_outbox_pending', 'Outbox events waiting for delivery, including those backing off (all instances)', (m) => m.pending);
  outboxGauge('banter_outbox_dead', 'Dead letters: events that failed every attempt (banter outbox failed lists them)', (m) => m.dead);
  outboxGauge(
    'banter_outbox_delivered_retained',
    'Delivered outbox rows still kept (pruned after the retention period)',
    (m) => m.delivered,
  );
  outboxGauge(
    'banter_outbox_oldest_pending_age_seconds',
    'Age of the oldest undelivered outbox event; grows when delivery stalls. Alert on this.',
    (m) => m.oldestPendingAgeMs / 1000,
  );

  const dispatcherCounter = (name: string, help: string, pick: (s: OutboxDispatcherStats) => number) =>
    statCounter(registry, name, help, () => {
      const stats = sources.dispatcher();
      return stats ? pick(stats) : undefined;
    });
  dispatcherCounter('banter_outbox_delivered_total', 'Events this process delivered to the broadcaster', (s) => s.delivered);
  dispatcherCounter(
    'banter_outbox_failed_attempts_total',
    'Failed delivery attempts in this process (each is retried or becomes dead)',
    (s) => s.failedAttempts,
  );
  dispatcherCounter(
    'banter_outbox_retried_total',
    'Failed attempts this process scheduled a retry for (backoff)',
    (s) => s.failedAttempts - s.deadLetters,
  );
  dispatcherCounter('banter_outbox_dead_letters_total', 'Events this process gave up on (moved to dead letters)', (s) => s.deadLetters);

  const { pool } = sources;
  if (pool) {
    new Gauge({
      name: 'banter_db_pool_connections',
      help: 'PostgreSQL pool connections by state: in_use, idle, waiting (requests queued for a connection), max',
      labelNames: ['state'] as const,
      registers,
      collect() {
        this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
        this.set({ state: 'max' }, pool.options.max ?? 10);
      },
    });
  }

  return {
    registry,
    observeRequest(method, route, status, seconds) {
      requests.observe({ method: METHODS.has(method) ? method : 'other', route, status: String(status) }, seconds);
    },
    messageSent(via) {
      sent.inc({ via });
    },
  };
}

const RELAY_METRICS: Record<keyof RelayStats, [kind: 'gauge' | 'counter', help: string]> = {
  connections: ['gauge', 'Open WebSocket connections to the embedded relay'],
  pendingConnections: ['gauge', 'Relay connections that have not subscribed nor signed in yet'],
  channelNameBytes: ['gauge', 'Characters of channel names the relay holds (bounded by maxChannelNameBytes)'],
  refusedSignins: ['counter', 'Relay sign-ins (pusher:signin) refused: bad signature or user_data'],
  refusedConnections: ['counter', 'Relay connections refused at the door (capacity, per IP, pending, quota, app disabled)'],
  droppedPendingConnections: ['counter', 'Relay connections closed for never subscribing within pendingTimeoutMs'],
  channels: ['gauge', 'Channels with at least one subscriber'],
  subscriptions: ['gauge', 'Channel subscriptions over all connections'],
  messagesIn: ['counter', 'Frames received from clients'],
  messagesOut: ['counter', 'Frames sent to clients'],
  clientEvents: ['counter', 'Client events (client-*, e.g. typing) relayed'],
  refusedSubscriptions: ['counter', 'Subscriptions refused (bad signature, limits)'],
  droppedSlowConnections: ['counter', 'Connections dropped for reading too slowly'],
  droppedDeadConnections: ['counter', 'Connections dropped for not answering pings'],
  httpRequests: ['counter', 'Relay HTTP API requests (triggers from other servers)'],
  webhooksSent: ['counter', 'Webhooks delivered'],
  webhookFailures: ['counter', 'Webhooks that failed'],
};

/**
 * The embedded relay's stats as Prometheus metrics (`banter_relay_*`), read on scrape.
 *
 * @example
 * registerRelayMetrics(chat.registry, relay);
 */
export function registerRelayMetrics(registry: Registry, relay: { stats(): RelayStats }): void {
  for (const [key, [kind, help]] of Object.entries(RELAY_METRICS) as [keyof RelayStats, [string, string]][]) {
    const name = `banter_relay_${snake(key)}`;
    if (kind === 'counter') statCounter(registry, `${name}_total`, help, () => relay.stats()[key]);
    else {
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          this.set(relay.stats()[key]);
        },
      });
    }
  }
}

/** A counter whose value is kept elsewhere (a stats object) and copied in on scrape. */
function statCounter(registry: Registry, name: string, help: string, read: () => number | undefined): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const value = read();
      if (value === undefined || !Number.isFinite(value)) return;
      this.reset();
      this.inc(Math.max(0, value));
    },
  });
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
