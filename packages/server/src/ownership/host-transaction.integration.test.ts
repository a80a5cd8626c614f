import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../errors/api-error';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

// Issue 20: a host's own write and Banter's message commit or roll back together.
describeEachDatabase('chat.api.withTransaction', (target) => {
  const t = useTestServer(target, { rateLimits: false });
  let alice: string;
  let bob: string;
  let conversationId: string;

  beforeAll(async () => {
    [alice, bob] = [t().userId('tx-a'), t().userId('tx-b')];
    conversationId = (await t().server.api.createConversation({ createdBy: alice, participantIds: [bob] })).conversation.id;
    // The host's own table, in the host's schema (public), beside Banter's.
    await sql`create table if not exists ${orders()} (id text primary key, status text)`.execute(t().server.db.kysely);
  });
  afterAll(async () => {
    await sql`drop table if exists ${orders()}`.execute(t().server.db.kysely);
  });

  const orders = () => sql.id('public', `orders_${t().server.db.schema}`);
  // Everything committed so far delivered, so an event counted later belongs to the test at hand.
  const settled = () =>
    expect
      .poll(
        async () =>
          Number(
            (await sql<{ n: string }>`select count(*) as n from outbox where delivered_at is null`.execute(t().server.db.kysely)).rows[0]!
              .n,
          ),
        { timeout: 10_000 },
      )
      .toBe(0);
  const messages = async () => (await t().server.api.listMessages(alice, conversationId))!.messages.map((m) => m.body);
  const outboxRows = async () =>
    Number((await sql<{ n: string }>`select count(*) as n from outbox`.execute(t().server.db.kysely)).rows[0]!.n);

  it('commits the message, its outbox rows and the host write together', async () => {
    const before = await outboxRows();
    await t()
      .server.db.kysely.transaction()
      .execute(async (trx) => {
        await sql`insert into ${orders()} values ('o1', 'shipped')`.execute(trx);
        const { message } = await t()
          .server.api.withTransaction(trx)
          .sendMessage({ conversationId, system: true, body: 'Your order o1 shipped' });
        expect(message.seq).toBeGreaterThan(0);
      });
    expect(await messages()).toContain('Your order o1 shipped');
    expect(await outboxRows()).toBeGreaterThan(before);
  });

  it('a rolled-back host transaction leaves no message, no outbox row and no event', async () => {
    await settled();
    const before = { outbox: await outboxRows(), events: t().broadcaster.sent.length, messages: await messages() };
    await expect(
      t()
        .server.db.kysely.transaction()
        .execute(async (trx) => {
          await sql`insert into ${orders()} values ('o2', 'shipped')`.execute(trx);
          await t().server.api.withTransaction(trx).sendMessage({ conversationId, system: true, body: 'Your order o2 shipped' });
          await t()
            .server.api.withTransaction(trx)
            .createConversation({ createdBy: alice, participantIds: [t().userId('tx-c')], title: 'Rolled back' });
          throw new Error('payment failed');
        }),
    ).rejects.toThrow('payment failed');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await messages()).toEqual(before.messages);
    expect(await outboxRows()).toBe(before.outbox);
    expect(t().broadcaster.sent.length).toBe(before.events);
    const { rows } = await sql`select * from ${orders()} where id = 'o2'`.execute(t().server.db.kysely);
    expect(rows).toEqual([]);
    const list = await t().server.api.listConversations(alice);
    expect(list.conversations.map((c) => c.title)).not.toContain('Rolled back');
  });

  it('a refused call leaves the host transaction usable (savepoint) and its own writes intact', async () => {
    await t()
      .server.db.kysely.transaction()
      .execute(async (trx) => {
        await sql`insert into ${orders()} values ('o3', 'paid')`.execute(trx);
        const error = await t()
          .server.api.withTransaction(trx)
          .sendMessage({ conversationId, senderId: alice, body: '' })
          .catch((e) => e);
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).code).toBe('validation_failed');
        // A database-level refusal (not a participant) too: the transaction goes on.
        const stranger = await t()
          .server.api.withTransaction(trx)
          .sendMessage({ conversationId, senderId: t().userId('tx-stranger'), body: 'hi' })
          .catch((e) => e);
        expect((stranger as ApiError).code).toBe('not_found');
        await sql`update ${orders()} set status = 'shipped' where id = 'o3'`.execute(trx);
      });
    const { rows } = await sql<{ status: string }>`select status from ${orders()} where id = 'o3'`.execute(t().server.db.kysely);
    expect(rows[0]?.status).toBe('shipped');
  });

  it('chat.api.transaction commits and delivers at once', async () => {
    await settled();
    const events = t().broadcaster.sent.length;
    await t().server.api.transaction(async (api) => {
      await api.sendMessage({ conversationId, senderId: bob, body: 'inside api.transaction' });
    });
    expect(await messages()).toContain('inside api.transaction');
    await expect.poll(() => t().broadcaster.sent.length, { timeout: 5000 }).toBeGreaterThan(events);
  });

  it('refuses a Kysely instance that is not a transaction', () => {
    expect(() => t().server.api.withTransaction(t().server.db.kysely as never)).toThrow(/needs a transaction/);
  });

  if (target.name === 'postgres') {
    describe('with a pg client the host opened', () => {
      it('keeps the host search_path and commits or rolls back with it', async () => {
        const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
        await client.connect();
        try {
          await client.query('begin');
          await client.query(`insert into public."orders_${t().server.db.schema}" values ('o4', 'shipped')`);
          await t().server.api.withTransaction(client).sendMessage({ conversationId, system: true, body: 'via pg client' });
          const path = await client.query('show search_path');
          expect(path.rows[0].search_path).not.toContain(t().server.db.schema);
          await client.query('rollback');
          expect(await messages()).not.toContain('via pg client');
          await client.query('begin');
          await t().server.api.withTransaction(client).sendMessage({ conversationId, system: true, body: 'via pg client, committed' });
          await client.query('commit');
          expect(await messages()).toContain('via pg client, committed');
        } finally {
          await client.end();
        }
      });
    });
  }
});
