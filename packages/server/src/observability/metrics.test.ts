import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { RelayStats } from '../relay/types';
import { createChatServerMetrics, registerRelayMetrics } from './metrics';

const stats: RelayStats = {
  connections: 3,
  pendingConnections: 1,
  channelNameBytes: 40,
  refusedConnections: 0,
  refusedSignins: 0,
  droppedPendingConnections: 0,
  channels: 2,
  subscriptions: 5,
  messagesIn: 10,
  messagesOut: 20,
  clientEvents: 1,
  refusedSubscriptions: 4,
  droppedSlowConnections: 0,
  droppedDeadConnections: 0,
  httpRequests: 7,
  webhooksSent: 0,
  webhookFailures: 0,
};

describe('metrics', () => {
  it('reads the relay stats on scrape: gauges as they are, counters as totals', async () => {
    const registry = new Registry();
    const relay = {
      current: { ...stats },
      stats() {
        return this.current;
      },
    };
    registerRelayMetrics(registry, relay);
    let text = await registry.metrics();
    expect(text).toContain('# TYPE banter_relay_connections gauge\nbanter_relay_connections 3');
    expect(text).toContain('# TYPE banter_relay_refused_subscriptions_total counter\nbanter_relay_refused_subscriptions_total 4');
    relay.current = { ...stats, connections: 1, refusedSubscriptions: 6 };
    text = await registry.metrics();
    expect(text).toContain('banter_relay_connections 1');
    expect(text).toContain('banter_relay_refused_subscriptions_total 6');
  });

  it('reads the outbox once per scrape, keeps the last values while the database is away, reads the pool', async () => {
    let reads = 0;
    let down = false;
    const pool = { totalCount: 4, idleCount: 1, waitingCount: 2, options: { max: 8 } };
    const metrics = createChatServerMetrics({
      async outbox() {
        reads++;
        if (down) throw new Error('database away');
        return { pending: 5, delivered: 9, dead: 1, oldestPendingAgeMs: 2500 };
      },
      dispatcher: () => null,
      pool: pool as never,
    });
    let text = await metrics.registry.metrics();
    expect(reads).toBe(1);
    expect(text).toContain('banter_outbox_pending 5');
    expect(text).toContain('banter_outbox_oldest_pending_age_seconds 2.5');
    expect(text).toContain('banter_db_pool_connections{state="in_use"} 3');
    expect(text).toContain('banter_db_pool_connections{state="waiting"} 2');
    // No dispatcher in this process: its counters stay at 0 rather than vanish.
    expect(text).toContain('banter_outbox_delivered_total 0');
    down = true;
    text = await metrics.registry.metrics();
    expect(reads).toBe(2);
    expect(text).toContain('banter_outbox_pending 5');
  });

  it('never labels by an unknown method', async () => {
    const metrics = createChatServerMetrics({ outbox: async () => null, dispatcher: () => null, pool: null });
    metrics.observeRequest('BREW', 'unmatched', 405, 0.001);
    expect(await metrics.registry.metrics()).toContain(
      'banter_http_request_duration_seconds_count{method="other",route="unmatched",status="405"} 1',
    );
  });
});
