import { userChannel } from '@banter/core/protocol';
import { type KyselyPlugin } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { type ChatServer, type ChatServerOptions, createChatServer } from '../chat-server';
import { describeEachDatabase, useTestDatabase } from '../../test/kit/describe-each-database';
import { createRecordingBroadcaster } from '../../test/kit/recording-broadcaster';
import { TEST_SECRET } from '../../test/kit/test-server';
import { createOutboxDispatcher } from './dispatcher';
import { listFailedEvents, retryFailedEvents } from './failed-events';
import { outboxMetrics } from './metrics';
import { createOutboxSignal } from './signal';
import { conversationOf, failingTimes, flakyBroadcaster, range, seqsOn } from '../../test/kit/outbox';
import { until } from '../../test/kit/until';

// Fast backoff so retries happen within a test; a long poll so only wake-ups and timers drive delivery.
// The sweep alone (no fast path): these tests pin its ordering, retries and dead letters.
const FAST = { backoffBaseMs: 10, backoffCapMs: 40, pollIntervalMs: 60_000, fastPath: false };

describeEachDatabase('outbox dispatcher', (target) => {
  const db = useTestDatabase(target);
  const servers: ChatServer[] = [];
  function chat(options: Partial<ChatServerOptions>): ChatServer {
    const server = createChatServer({ database: db(), secret: TEST_SECRET, onError: () => {}, migrate: false, ...options });
    servers.push(server);
    return server;
  }
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  it('delivers every event once and in order when the broadcaster fails a few times, then recovers', async () => {
    const broadcaster = flakyBroadcaster(failingTimes(3));
    const server = chat({ broadcaster, dispatcher: FAST });
    const c = await conversationOf(server, 'flaky');
    await c.send(6);
    await until('six messages on both channels', () => seqsOn(broadcaster, userChannel(c.bob), c.conversationId).length >= 6);
    await server.dispatcher!.flush();
    expect(broadcaster.failures).toBe(3);
    expect(seqsOn(broadcaster, userChannel(c.alice), c.conversationId)).toEqual(range(6));
    expect(seqsOn(broadcaster, userChannel(c.bob), c.conversationId)).toEqual(range(6));
  });

  it('holds back later events of a conversation while its earlier one backs off, not other conversations', async () => {
    const broadcaster = flakyBroadcaster();
    const server = chat({ broadcaster, dispatch: false });
    const x = await conversationOf(server, 'held');
    const y = await conversationOf(server, 'free');
    await x.send(3);
    await y.send(2);
    // Seq 1 of X fails twice (in its batch, then alone); everything else goes through.
    let left = 2;
    broadcaster.shouldFail = (events) =>
      events.some(
        (e) =>
          (e.data as { conversationId?: string; seq?: number }).conversationId === x.conversationId &&
          (e.data as { seq?: number }).seq === 1,
      ) && left-- > 0;
    const dispatcher = createOutboxDispatcher({
      database: db(),
      broadcaster,
      ...FAST,
      backoffBaseMs: 1000,
      backoffCapMs: 1000,
      onError: () => {},
    });
    await dispatcher.flush();
    expect(seqsOn(broadcaster, userChannel(y.alice), y.conversationId)).toEqual([1, 2]);
    expect(seqsOn(broadcaster, userChannel(x.alice), x.conversationId)).toEqual([]);
    // Still backing off: flushing again delivers nothing of X, out of order or otherwise.
    await dispatcher.flush();
    expect(seqsOn(broadcaster, userChannel(x.bob), x.conversationId)).toEqual([]);
    dispatcher.start();
    await until('X after its backoff', () => seqsOn(broadcaster, userChannel(x.bob), x.conversationId).length === 3, 5000);
    await dispatcher.stop();
    expect(seqsOn(broadcaster, userChannel(x.alice), x.conversationId)).toEqual([1, 2, 3]);
    expect(seqsOn(broadcaster, userChannel(x.bob), x.conversationId)).toEqual([1, 2, 3]);
  });

  it('turns rows into dead letters after maxAttempts, and retry delivers them', async () => {
    const broadcaster = flakyBroadcaster(() => true);
    const server = chat({ broadcaster, dispatcher: { ...FAST, maxAttempts: 3 } });
    const c = await conversationOf(server, 'dead');
    await c.send(2);
    // The conversation.updated rows of createConversation die too: 2 + 2 message rows.
    const mine = async () => (await listFailedEvents(db(), { limit: 1000 })).filter((e) => e.conversationId === c.conversationId);
    await until('six dead letters', async () => (await mine()).length === 6);
    const failed = await mine();
    expect(failed.map((e) => e.attempts)).toEqual([3, 3, 3, 3, 3, 3]);
    expect(failed[0]!.lastError).toMatch(/broadcaster unavailable/);
    expect(failed[0]!.deadAt).toBeInstanceOf(Date);
    expect((await server.metrics()).outbox.dead).toBeGreaterThanOrEqual(6);
    expect(broadcaster.sent).toEqual([]);

    broadcaster.shouldFail = () => false;
    // One by id (as `banter outbox retry 42` passes it), then the rest.
    const single = failed.find((e) => e.event === 'message.created')!;
    expect(await retryFailedEvents(db(), { id: String(single.id) })).toBe(1);
    expect(await retryFailedEvents(db(), { id: single.id })).toBe(0);
    await server.dispatcher!.flush();
    expect(broadcaster.sent.map((e) => e.channel)).toEqual([single.channel]);
    expect(await retryFailedEvents(db(), { all: true })).toBeGreaterThanOrEqual(5);
    await server.dispatcher!.flush();
    expect(seqsOn(broadcaster, userChannel(c.alice), c.conversationId).sort()).toEqual([1, 2]);
    expect(seqsOn(broadcaster, userChannel(c.bob), c.conversationId).sort()).toEqual([1, 2]);
    expect((await listFailedEvents(db())).filter((e) => e.conversationId === c.conversationId)).toEqual([]);
    await expect(retryFailedEvents(db(), { id: 'abc' })).rejects.toThrow(/invalid outbox event id "abc"/);
  });

  it('delivers after a crash between commit and dispatch, from a new server on the same database', async () => {
    const first = flakyBroadcaster();
    const crashed = chat({ broadcaster: first, dispatch: false });
    expect(crashed.dispatcher).toBeNull();
    const c = await conversationOf(crashed, 'crash');
    await c.send(4);
    await crashed.close();
    expect(first.sent).toEqual([]);
    expect((await outboxMetrics(db())).pending).toBeGreaterThanOrEqual(10);

    const second = createRecordingBroadcaster();
    const restarted = chat({ broadcaster: second, dispatcher: FAST });
    await until('delivery after restart', () => seqsOn(second, userChannel(c.bob), c.conversationId).length === 4);
    expect(seqsOn(second, userChannel(c.alice), c.conversationId)).toEqual(range(4));
    expect(second.sent.filter((e) => e.name === 'conversation.updated').length).toBeGreaterThanOrEqual(2);
    await restarted.dispatcher!.flush();
    expect((await restarted.metrics()).outbox.pending).toBe(0);
  });

  it('flushes on close: a graceful shutdown loses nothing even with wake-ups off and a long poll', async () => {
    const broadcaster = createRecordingBroadcaster();
    const server = chat({ broadcaster, dispatcher: { ...FAST, wakeOnCommit: false, listen: false } });
    const c = await conversationOf(server, 'close');
    await c.send(3);
    expect(seqsOn(broadcaster, userChannel(c.alice), c.conversationId)).toEqual([]);
    await server.close();
    expect(seqsOn(broadcaster, userChannel(c.alice), c.conversationId)).toEqual(range(3));
  });

  it('reports pending, delivered, dead and the age of the oldest pending row', async () => {
    const broadcaster = createRecordingBroadcaster();
    const server = chat({ broadcaster, dispatch: false });
    const c = await conversationOf(server, 'metrics');
    await c.send(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const before = (await server.metrics()).outbox;
    expect(before.pending).toBeGreaterThanOrEqual(4);
    expect(before.oldestPendingAgeMs).toBeGreaterThanOrEqual(20);
    // A separate worker for servers that do not dispatch: no fast path anywhere, so no grace.
    const dispatcher = createOutboxDispatcher({ database: db(), broadcaster, fastPath: false, onError: () => {} });
    await dispatcher.flush();
    const after = await outboxMetrics(db());
    expect(after.pending).toBe(0);
    expect(after.oldestPendingAgeMs).toBe(0);
    expect(after.delivered).toBeGreaterThanOrEqual(before.delivered + 4);
  });

  it('prunes delivered rows after the retention period, a bounded batch at a time', async () => {
    const broadcaster = createRecordingBroadcaster();
    const server = chat({ broadcaster, dispatch: false });
    const c = await conversationOf(server, 'prune');
    await c.send(2);
    const keep = createOutboxDispatcher({ database: db(), broadcaster, fastPath: false, onError: () => {} });
    await keep.flush();
    expect((await outboxMetrics(db())).delivered).toBeGreaterThanOrEqual(6);
    const prune = createOutboxDispatcher({ database: db(), broadcaster, retentionMs: 0, fastPath: false, onError: () => {} });
    await prune.flush();
    expect((await outboxMetrics(db())).delivered).toBe(0);
  });

  // The bench once reported 1 of 2,000 PGlite messages missing at 100 msg/s (it was a failed send, not
  // a lost event); the mechanism suspected first is this one: a commit whose wake-up arrives while a
  // round is already past its claim. It must get a round of its own at once, not wait for the poll.
  it('delivers a commit whose wake-up came while a round was sending, without waiting for the poll', async () => {
    const inner = createRecordingBroadcaster();
    let armed = false;
    let held = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const broadcaster = {
      ...inner,
      async triggerBatch(events: Parameters<typeof inner.triggerBatch>[0]) {
        if (armed && !held) {
          held = true;
          await gate;
        }
        await inner.triggerBatch(events);
      },
    };
    // No LISTEN and a one-minute poll: only the in-process wake-up can deliver within the test.
    const server = chat({ broadcaster, dispatcher: { pollIntervalMs: 60_000, listen: false, fastPath: false } });
    const c = await conversationOf(server, 'mid-round');
    await server.dispatcher!.flush();
    armed = true;
    await c.send(1);
    await until('a round holding seq 1 in the broadcaster', () => held);
    // Committed (and signalled) while that round is past its claim and still sending.
    await server.api.sendMessage({ conversationId: c.conversationId, senderId: c.alice, body: 'during the round' });
    release();
    await until('seq 2 delivered by a coalesced round', () => seqsOn(inner, userChannel(c.bob), c.conversationId).length >= 2, 3000);
    expect(seqsOn(inner, userChannel(c.bob), c.conversationId)).toEqual([1, 2]);
  });

  it('stays quiet when idle and coalesces a burst of wake-ups', async () => {
    let queries = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const database = { ...db(), kysely: db().kysely.withPlugin(counter) };
    const signal = createOutboxSignal();
    const dispatcher = createOutboxDispatcher({
      database,
      broadcaster: createRecordingBroadcaster(),
      signal,
      fastPath: false,
      onError: () => {},
    });
    dispatcher.start();
    await until('the first round', () => dispatcher.stats().rounds >= 1);
    await dispatcher.flush();
    // Let the LISTEN connection settle (it wakes the dispatcher once when connected).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rounds = dispatcher.stats().rounds;
    queries = 0;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // The default poll (2 s) runs at most one round (lock, claim, maybe prune) in an idle second.
    expect(queries).toBeLessThanOrEqual(3);

    for (let i = 0; i < 200; i++) signal.notify();
    await until('the burst handled', () => dispatcher.stats().rounds > rounds);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await dispatcher.stop({ flush: false });
    // 200 wake-ups: one round, plus at most one more for wake-ups that came while it ran.
    expect(dispatcher.stats().rounds - rounds).toBeLessThanOrEqual(2);
  });
});
