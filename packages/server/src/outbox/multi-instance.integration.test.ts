import { userChannel } from '@banter/core/protocol';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../test/kit/describe-each-database';
import { useInstances } from '../../test/kit/instances';
import { createRecordingBroadcaster } from '../../test/kit/recording-broadcaster';
import { conversationOf, range, seqsOn } from '../../test/kit/outbox';
import { until } from '../../test/kit/until';

describeEachDatabase('outbox with several server instances on one database', (target) => {
  const db = useTestDatabase(target);
  const instance = useInstances(target, db);

  for (const fastPath of [false, true]) {
    // The sweep alone keeps seq order per conversation across instances; the fast path publishes
    // concurrent sends as they commit, so only "exactly once" holds (clients order by seq).
    it(`delivers each event of concurrent sends through two instances exactly once${fastPath ? ' (fast path)' : ', in order per conversation (sweep only)'}`, async () => {
      // One recording broadcaster behind both instances: it sees the global order of triggers.
      const broadcaster = createRecordingBroadcaster();
      const a = instance({ broadcaster, dispatcher: { fastPath, fastPathGraceMs: 10_000 } });
      const b = instance({ broadcaster, dispatcher: { fastPath, fastPathGraceMs: 10_000 } });
      const conversations = await Promise.all([0, 1, 2].map((i) => conversationOf(a, `multi${i}`)));
      const perConversation = 15;
      await Promise.all(
        conversations.flatMap((c) =>
          range(perConversation).map((i) =>
            (i % 2 ? a : b).api.sendMessage({ conversationId: c.conversationId, senderId: i % 3 ? c.alice : c.bob, body: `m${i}` }),
          ),
        ),
      );
      await until('every message on every channel', () =>
        conversations.every((c) =>
          [c.alice, c.bob].every((u) => seqsOn(broadcaster, userChannel(u), c.conversationId).length >= perConversation),
        ),
      );
      await a.dispatcher!.flush();
      await b.dispatcher!.flush();
      for (const c of conversations) {
        for (const user of [c.alice, c.bob]) {
          const seqs = seqsOn(broadcaster, userChannel(user), c.conversationId);
          expect(fastPath ? [...seqs].sort((x, y) => x - y) : seqs, `${user}`).toEqual(range(perConversation));
        }
      }
      expect(broadcaster.sent.filter((e) => e.name === 'message.created')).toHaveLength(3 * perConversation * 2);
      expect((await a.metrics()).outbox.pending).toBe(0);
    }, 20_000);
  }

  if (target.name === 'postgres') {
    it('wakes another instance by LISTEN/NOTIFY long before its poll', async () => {
      const writer = instance({ broadcaster: createRecordingBroadcaster(), dispatch: false });
      const broadcaster = createRecordingBroadcaster();
      const reader = instance({ broadcaster, dispatcher: { pollIntervalMs: 60_000, fastPath: false } });
      // Its start-up round, then the round the LISTEN connection triggers once connected.
      await until('the listener to connect', () => reader.dispatcher!.stats().rounds >= 2);
      const c = await conversationOf(writer, 'notify');
      const sentAt = Date.now();
      await c.send(1);
      await until('the other instance to deliver', () => seqsOn(broadcaster, userChannel(c.bob), c.conversationId).length === 1, 2000);
      expect(Date.now() - sentAt).toBeLessThan(2000);
    });

    it('reconnects its LISTEN connection after the database dropped it', async () => {
      const writer = instance({ broadcaster: createRecordingBroadcaster(), dispatch: false });
      const broadcaster = createRecordingBroadcaster();
      const reader = instance({ broadcaster, dispatcher: { pollIntervalMs: 60_000, fastPath: false } });
      await until('the listener to connect', () => reader.dispatcher!.stats().rounds >= 2);
      const name = `banter_outbox:${db().schema}`;
      const killed = await sql<{ pid: number }>`
        select pg_terminate_backend(pid) as pid from pg_stat_activity where application_name = ${name}`.execute(db().kysely);
      expect(killed.rows).toHaveLength(1);
      // Reconnected: the new connection shows up again.
      await until(
        'the listener to reconnect',
        async () => {
          const rows = await sql`select pid from pg_stat_activity where application_name = ${name} and query ilike 'listen%'`.execute(
            db().kysely,
          );
          return rows.rows.length === 1;
        },
        3000,
      );
      const c = await conversationOf(writer, 'relisten');
      await c.send(1);
      await until('delivery after reconnect', () => seqsOn(broadcaster, userChannel(c.bob), c.conversationId).length === 1, 2000);
    });
  }
});
