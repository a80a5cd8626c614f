import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BroadcastEvent, Broadcaster } from '../realtime/broadcaster';
import { relayBroadcaster } from '../realtime/relay-broadcaster';
import { createRelay } from '../relay/create-relay';
import type { Relay } from '../relay/types';
import { describeEachDatabase, useTestDatabase } from '../../test/kit/describe-each-database';
import { useInstances } from '../../test/kit/instances';
import { conversationOf, range } from '../../test/kit/outbox';
import { until } from '../../test/kit/until';
import { outboxMetrics } from './metrics';

/**
 * Two instances on one database, each publishing its own commits (the fast path) to one relay
 * through a slow broadcaster, and each sweeping: a fast path backs up past its grace, so the
 * other instance's sweep wants the same rows. Every event must reach the relay exactly once.
 */
describeEachDatabase('outbox: two instances, one relay, each event published once', (target) => {
  const db = useTestDatabase(target);
  const instance = useInstances(target, db);
  let relay: Relay;
  /** What reached the relay: `channel seq` -> how many times. */
  const published = new Map<string, number>();

  beforeAll(() => {
    relay = createRelay({ apps: [{ id: 'once-app', key: 'once-key', secret: 'once-secret' }] });
  });
  afterAll(async () => {
    await relay?.close();
  });

  /** The relay behind a 20 ms call, as a hosted service would be; counts each message.created it is handed. */
  function slowRelay(): Broadcaster {
    const inner = relayBroadcaster(relay);
    return {
      ...inner,
      maxBatchSize: 10,
      async triggerBatch(events: BroadcastEvent[]) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await inner.triggerBatch(events);
        for (const e of events) {
          if (e.name !== 'message.created') continue;
          const key = `${e.channel} ${(e.data as { conversationId: string }).conversationId} ${(e.data as { seq: number }).seq}`;
          published.set(key, (published.get(key) ?? 0) + 1);
        }
      },
    };
  }

  it('a sweep never publishes what a fast path claimed, and a fast path never what a sweep took', async () => {
    // One call at a time and a grace of 1 ms: each fast path's queue is past its grace at once, and
    // both sweeps poll every 10 ms, so the rows queued in one instance are due in the other.
    const dispatcher = { fastPathGraceMs: 1, concurrency: 1, pollIntervalMs: 10, listen: false };
    const a = instance({ broadcaster: slowRelay(), dispatcher });
    const b = instance({ broadcaster: slowRelay(), dispatcher });
    const conversations = await Promise.all(range(4).map((i) => conversationOf(a, `once${i}`)));
    const perConversation = 20;
    await Promise.all(
      conversations.flatMap((c) =>
        range(perConversation).map((i) =>
          (i % 2 ? a : b).api.sendMessage({ conversationId: c.conversationId, senderId: i % 3 ? c.alice : c.bob, body: `m${i}` }),
        ),
      ),
    );
    const expected = conversations.length * perConversation * 2;
    await until('every event at the relay', () => published.size === expected, 30_000);
    await until('nothing pending', async () => (await outboxMetrics(db())).pending === 0, 30_000);
    await a.dispatcher!.flush();
    await b.dispatcher!.flush();
    const twice = [...published].filter(([, n]) => n > 1).map(([key, n]) => `${key} x${n}`);
    expect(twice).toEqual([]);
    expect(published.size).toBe(expected);
    // Each row marked delivered once, by whichever side published it (the conversations' own events too).
    const stats = [a, b].map((s) => s.dispatcher!.stats());
    expect(stats.reduce((n, s) => n + s.delivered, 0)).toBe(expected + conversations.length * 2);
  }, 60_000);
});
