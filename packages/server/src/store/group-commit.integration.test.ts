import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { createDatabase, type Database } from '../db/create-database';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';
import { groupCommitStats } from './group-commit';
import { sendMessage } from './messages';

describeEachDatabase('group commit of concurrent sends (issue 17)', (target) => {
  const t = useTestServer(target);
  // On PostgreSQL the sends go through a pool of the same schema with group commit on (the default).
  let grouped: Database | undefined;
  const database = () => {
    if (target.name !== 'postgres') return t().server.db;
    grouped ??= createDatabase({ url: process.env.TEST_DATABASE_URL, schema: t().server.db.schema, groupCommit: true });
    return grouped;
  };
  afterAll(async () => {
    await grouped?.close();
  });

  async function group(label: string) {
    const ids = ['a', 'b', 'c'].map((n) => t().userId(`${label}-${n}`));
    const { conversation } = await t().server.api.createConversation({ createdBy: ids[0]!, participantIds: ids.slice(1), title: 'g' });
    // The store itself: a body PostgreSQL refuses (a NUL character) reaches the statement, as a
    // database-level failure of one send would.
    const ctx = { database: database(), onEventsCommitted: () => {} };
    const send = (i: number, clientId: string, body = `m${i}`) =>
      sendMessage(ctx, { conversationId: conversation.id, senderId: ids[i % 3]!, body, clientId });
    return { ids, conversationId: conversation.id, send };
  }

  it('50 concurrent sends in one conversation: gapless seq, a bad one in the middle fails alone, replays are idempotent', async () => {
    const g = await group('gc');
    const clientIds = Array.from({ length: 50 }, () => randomUUID());
    const before = groupCommitStats(database());
    const results = await Promise.allSettled(clientIds.map((id, i) => (i === 25 ? g.send(i, id, 'bad \u0000 body') : g.send(i, id))));

    const bad = results[25]!;
    expect(bad.status).toBe('rejected');
    expect(String((bad as PromiseRejectedResult).reason)).toMatch(/0x00|invalid byte sequence/i);
    const stored = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    expect(stored).toHaveLength(49);
    expect(stored.every((r) => r.created)).toBe(true);
    expect(stored.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 49 }, (_, i) => i + 1));
    // Within one conversation, seq follows the order the sends arrived in.
    const bySeq = [...stored].sort((x, y) => x.message.seq - y.message.seq).map((r) => r.message.body);
    expect(bySeq).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`).filter((_, i) => i !== 25));

    const view = await t().server.api.getConversation(g.ids[0]!, g.conversationId);
    expect(view?.lastSeq).toBe(49);

    // Replays of all 50 (the bad one now with a good body), again concurrently, plus a duplicate
    // of one clientId within the same group: no new seq for any replay, one new message for the retry.
    const replays = await Promise.all([...clientIds.map((id, i) => g.send(i, id)), g.send(3, clientIds[3]!)]);
    expect(replays.filter((r) => r.created).map((r) => r.message.body)).toEqual(['m25']);
    replays.forEach((r, i) => {
      if (i !== 25 && i < 50) expect(r.message.id).toBe((results[i] as PromiseFulfilledResult<(typeof replays)[0]>).value.message.id);
    });
    expect(replays[50]!.message.id).toBe(replays[3]!.message.id);
    expect(replays[25]!.message.seq).toBe(50);
    const page = await t().server.api.listMessages(g.ids[1]!, g.conversationId, { limit: 100 });
    expect(page?.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));

    const after = groupCommitStats(database());
    if (target.name === 'postgres') {
      // Sends shared transactions, and the group with the bad send was retried alone.
      expect(after.groups).toBeGreaterThan(before.groups);
      expect(after.largest).toBeGreaterThan(1);
      expect(after.retriedAlone).toBeGreaterThan(before.retriedAlone);
    } else {
      // PGlite: one connection, a statement at a time; group commit is not used.
      expect(after).toEqual({ groups: 0, statements: 0, largest: 0, retriedAlone: 0 });
    }
  }, 30_000);

  it('concurrent sends to many conversations share transactions, each conversation gapless', async () => {
    const groups = await Promise.all(Array.from({ length: 5 }, (_, i) => group(`many${i}`)));
    const before = groupCommitStats(database()).groups;
    const sends = groups.flatMap((g) => Array.from({ length: 10 }, (_, i) => g.send(i, randomUUID())));
    const results = await Promise.all(sends);
    for (const g of groups) {
      const seqs = results
        .filter((r) => r.message.conversationId === g.conversationId)
        .map((r) => r.message.seq)
        .sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    }
    if (target.name === 'postgres') expect(groupCommitStats(database()).groups).toBeGreaterThan(before);
  }, 30_000);

  it('is on by default on PostgreSQL (off on PGlite), and groupCommit: false opts out', async () => {
    const own = t().server.db;
    expect(own.groupCommit).toBe(target.name === 'postgres');
    const off = createDatabase(
      target.name === 'postgres'
        ? { url: process.env.TEST_DATABASE_URL, schema: own.schema, groupCommit: false }
        : { pglite: own.pglite!, schema: own.schema },
    );
    try {
      expect(off.groupCommit).toBe(false);
      const g = await group('default');
      const run = async (database: Database) => {
        const before = groupCommitStats(database);
        const ctx = { database, onEventsCommitted: () => {} };
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            sendMessage(ctx, { conversationId: g.conversationId, senderId: g.ids[i % 3]!, body: `d${i}`, clientId: randomUUID() }),
          ),
        );
        return groupCommitStats(database).statements - before.statements;
      };
      expect(await run(own)).toBe(target.name === 'postgres' ? 10 : 0);
      expect(await run(off)).toBe(0);
      const page = await t().server.api.listMessages(g.ids[0]!, g.conversationId, { limit: 100 });
      expect(page?.messages.map((m) => m.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    } finally {
      if (target.name === 'postgres') await off.close();
    }
  }, 30_000);

  if (target.name === 'postgres') {
    it('groups in flight never share a conversation: a send waits for its conversation, not for a stuck neighbour', async () => {
      const [a, b, d] = await Promise.all([group('stuckA'), group('stuckB'), group('free')]);
      // Another transaction holds conversation A's row: the first group (A and B) waits on it.
      const holder = await t().server.db.pool!.connect();
      try {
        await holder.query('begin');
        await holder.query(`select 1 from "${t().server.db.schema}".conversations where id = $1 for update`, [a.conversationId]);
        const first = [a.send(0, randomUUID()), b.send(0, randomUUID())];
        await new Promise((resolve) => setTimeout(resolve, 200));
        // B is in the stuck group: its next send waits for it; D's, arriving in the same turn, is
        // not held behind it (in one group with B's it would wait for A's lock too).
        const started = Date.now();
        const secondB = b.send(1, randomUUID());
        const late = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('D waited behind the stuck group')), 3000));
        const onD = await Promise.race([d.send(0, randomUUID()), late]);
        expect(onD.message.seq).toBe(1);
        expect(Date.now() - started).toBeLessThan(3000);
        await holder.query('commit');
        const [ra, rb] = (await Promise.all(first)) as [Awaited<(typeof first)[0]>, Awaited<(typeof first)[1]>];
        expect([ra.message.seq, rb.message.seq, (await secondB).message.seq]).toEqual([1, 1, 2]);
      } finally {
        await holder.query('rollback').catch(() => {});
        holder.release();
      }
    }, 30_000);
  }
});
