import { userChannel } from '@banter/core/protocol';
import { expect, it } from 'vitest';
import type { Broadcaster } from '../realtime/broadcaster';
import { describeEachDatabase, useTestDatabase } from '../../test/kit/describe-each-database';
import { useInstances } from '../../test/kit/instances';
import { conversationOf, range, seqsOn } from '../../test/kit/outbox';
import { createRecordingBroadcaster, type RecordingBroadcaster } from '../../test/kit/recording-broadcaster';
import { until } from '../../test/kit/until';

// The sweep has no global lock: each round takes the outbox partitions it can lock (by conversation
// hash), so instances sweep side by side, a conversation stays in one instance's hands (its order
// holds), and a stopped instance's partitions go to the others. Sweep only (fast path off).

/** A 20 ms broadcaster (hosted Pusher's round trip) that counts what each instance delivered. */
function slow(shared: RecordingBroadcaster, counter: { n: number }): Broadcaster {
  return {
    ...shared,
    async triggerBatch(events) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      counter.n += events.length;
      await shared.triggerBatch(events);
    },
  };
}

describeEachDatabase('outbox sweep partitioned between instances', (target) => {
  const db = useTestDatabase(target);
  const instance = useInstances(target, db);
  const options = { dispatcher: { fastPath: false, pollIntervalMs: 50, roundSize: 20 } };

  it('two instances both deliver, each event once, in order per conversation', async () => {
    const shared = createRecordingBroadcaster();
    const counts = [{ n: 0 }, { n: 0 }];
    const writer = instance({ broadcaster: shared, dispatch: false });
    const conversations = await Promise.all(range(8).map((i) => conversationOf(writer, `part${i}`)));
    const per = 6;
    // Both instances are up before the rows exist, so neither drains everything before the other starts.
    const a = instance({ broadcaster: slow(shared, counts[0]!), ...options });
    const b = instance({ broadcaster: slow(shared, counts[1]!), ...options });
    await Promise.all([a.ready, b.ready]);
    for (const c of conversations) {
      for (const i of range(per)) await writer.api.sendMessage({ conversationId: c.conversationId, senderId: c.alice, body: `m${i}` });
    }
    await until('every message on every channel', () =>
      conversations.every((c) => [c.alice, c.bob].every((u) => seqsOn(shared, userChannel(u), c.conversationId).length >= per)),
    );
    await a.dispatcher!.flush();
    await b.dispatcher!.flush();
    for (const c of conversations) {
      for (const u of [c.alice, c.bob]) expect(seqsOn(shared, userChannel(u), c.conversationId), u).toEqual(range(per));
    }
    expect(shared.sent.filter((e) => e.name === 'message.created')).toHaveLength(8 * per * 2);
    if (target.name === 'postgres') {
      // No global lock: both instances took partitions (PGlite is one process, one queue).
      expect(counts[0]!.n).toBeGreaterThan(0);
      expect(counts[1]!.n).toBeGreaterThan(0);
    }
    expect((await a.metrics()).outbox.pending).toBe(0);
  }, 30_000);

  it('hands over: when one instance stops, the other takes its partitions; nothing lost or doubled', async () => {
    const shared = createRecordingBroadcaster();
    const counts = [{ n: 0 }, { n: 0 }];
    const writer = instance({ broadcaster: shared, dispatch: false });
    const conversations = await Promise.all(range(8).map((i) => conversationOf(writer, `hand${i}`)));
    const a = instance({ broadcaster: slow(shared, counts[0]!), ...options });
    const b = instance({ broadcaster: slow(shared, counts[1]!), ...options });
    const send = async (from: number, to: number) => {
      for (const c of conversations) {
        for (let i = from; i < to; i++) await writer.api.sendMessage({ conversationId: c.conversationId, senderId: c.bob, body: `h${i}` });
      }
    };
    await send(0, 3);
    await until('the first messages', () => conversations.every((c) => seqsOn(shared, userChannel(c.alice), c.conversationId).length >= 3));
    await a.close();
    const before = counts[1]!.n;
    await send(3, 6);
    await until('the rest, through b alone', () =>
      conversations.every((c) => [c.alice, c.bob].every((u) => seqsOn(shared, userChannel(u), c.conversationId).length >= 6)),
    );
    await b.dispatcher!.flush();
    // b delivered everything sent after a stopped: a's partitions included (2 channels x 8 x 3, plus the conversations' own events).
    expect(counts[1]!.n - before).toBeGreaterThanOrEqual(8 * 3 * 2);
    for (const c of conversations) {
      for (const u of [c.alice, c.bob]) expect(seqsOn(shared, userChannel(u), c.conversationId), u).toEqual(range(6));
    }
    expect((await b.metrics()).outbox.pending).toBe(0);
  }, 30_000);
});
