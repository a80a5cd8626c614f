import { userChannel } from '@banter/core/protocol';
import { afterEach, expect, it } from 'vitest';
import { type ChatServer, type ChatServerOptions, createChatServer } from '../chat-server';
import { createDatabase, type Database } from '../db/create-database';
import { describeEachDatabase, useTestDatabase } from '../../test/kit/describe-each-database';
import { createRecordingBroadcaster } from '../../test/kit/recording-broadcaster';
import { TEST_SECRET } from '../../test/kit/test-server';
import { outboxMetrics } from './metrics';
import { conversationOf, failingTimes, flakyBroadcaster, range, seqsOn } from '../../test/kit/outbox';
import { until } from '../../test/kit/until';

describeEachDatabase('outbox fast path (issue 17)', (target) => {
  const db = useTestDatabase(target);
  const servers: ChatServer[] = [];
  const extraDatabases: Database[] = [];
  /** An instance on the test database: on PostgreSQL with its own pool, as another process would have. */
  function instance(options: Partial<ChatServerOptions>, own = false): ChatServer {
    let database = db();
    if (own && target.name === 'postgres') {
      database = createDatabase({ url: process.env.TEST_DATABASE_URL, schema: db().schema });
      extraDatabases.push(database);
    }
    const server = createChatServer({ database, secret: TEST_SECRET, migrate: false, onError: () => {}, ...options });
    servers.push(server);
    return server;
  }
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
    for (const database of extraDatabases.splice(0)) await database.close();
  });

  it('publishes straight after the commit, with no sweep round, and marks the rows delivered in batches', async () => {
    const broadcaster = createRecordingBroadcaster();
    const server = instance({ broadcaster, dispatcher: { pollIntervalMs: 60_000, listen: false } });
    const c = await conversationOf(server, 'fast');
    await until('the start-up round', () => server.dispatcher!.stats().rounds >= 1);
    // Let the start-up rounds settle (a wake-up queued while the first ran may still come, under load).
    await server.dispatcher!.flush();
    let rounds = -1;
    await until('no more rounds', async () => {
      const seen = server.dispatcher!.stats().rounds;
      await new Promise((resolve) => setTimeout(resolve, 200));
      rounds = server.dispatcher!.stats().rounds;
      return rounds === seen;
    });
    await c.send(5);
    await until('five messages to bob', () => seqsOn(broadcaster, userChannel(c.bob), c.conversationId).length === 5);
    expect(seqsOn(broadcaster, userChannel(c.alice), c.conversationId)).toEqual(range(5));
    await until('every row marked delivered', async () => (await outboxMetrics(db())).pending === 0);
    expect(server.dispatcher!.stats().rounds).toBe(rounds);
    // The 10 rows of the five messages (the conversation's own events may have gone in the settling flush).
    expect(server.dispatcher!.stats().delivered).toBeGreaterThanOrEqual(10);
  });

  it('after a crash between commit and publish, another instance sweeps the rows once their grace is over, exactly once', async () => {
    // The first instance's broadcaster never answers: it dies with its publishes in flight.
    const hanging = { ...createRecordingBroadcaster(), triggerBatch: () => new Promise<void>(() => {}) };
    const crashed = instance({ broadcaster: hanging, dispatcher: { pollIntervalMs: 60_000, listen: false, sendTimeoutMs: 60_000 } });
    const c = await conversationOf(crashed, 'crash');
    await c.send(4);
    await crashed.dispatcher!.stop({ flush: false });
    expect((await outboxMetrics(db())).pending).toBe(10);

    const broadcaster = createRecordingBroadcaster();
    instance({ broadcaster, dispatcher: { pollIntervalMs: 100, fastPathGraceMs: 500, listen: false } }, true);
    await until('delivery by the other instance', () => seqsOn(broadcaster, userChannel(c.bob), c.conversationId).length === 4);
    expect(seqsOn(broadcaster, userChannel(c.alice), c.conversationId)).toEqual(range(4));
    expect(broadcaster.sent).toHaveLength(10);
    await until('nothing pending', async () => (await outboxMetrics(db())).pending === 0);
  });

  it('leaves a fresh row to the fast path of the instance that wrote it: the sweep waits for the grace', async () => {
    const writer = instance({ broadcaster: createRecordingBroadcaster(), dispatch: false });
    const broadcaster = createRecordingBroadcaster();
    const sweeper = instance({ broadcaster, dispatcher: { pollIntervalMs: 50, fastPathGraceMs: 1500, listen: false } }, true);
    await until('the start-up round', () => sweeper.dispatcher!.stats().rounds >= 1);
    const c = await conversationOf(writer, 'grace');
    const committedAt = Date.now();
    await c.send(1);
    await until('the sweep to deliver', () => seqsOn(broadcaster, userChannel(c.bob), c.conversationId).length === 1, 5000);
    expect(Date.now() - committedAt).toBeGreaterThanOrEqual(1400);
  });

  it('a failed publish is a failed attempt: the sweep retries it with backoff, each event once', async () => {
    const broadcaster = flakyBroadcaster(failingTimes(2));
    // A short poll: a retry round that comes while the rows are still within the fast path's grace
    // finds nothing to take; the next poll does (the point here is each event exactly once).
    const server = instance({
      broadcaster,
      dispatcher: { pollIntervalMs: 500, fastPathGraceMs: 100, listen: false, backoffBaseMs: 20, backoffCapMs: 50 },
    });
    const c = await conversationOf(server, 'retry');
    await c.send(3);
    await until('three messages to bob', () => seqsOn(broadcaster, userChannel(c.bob), c.conversationId).length === 3);
    await server.dispatcher!.flush();
    expect(broadcaster.failures).toBe(2);
    expect([...seqsOn(broadcaster, userChannel(c.alice), c.conversationId)].sort()).toEqual(range(3));
    expect(server.dispatcher!.stats().failedAttempts).toBeGreaterThanOrEqual(2);
    await until('nothing pending', async () => (await outboxMetrics(db())).pending === 0);
  });
});
