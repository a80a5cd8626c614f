import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

// Issue 14, typed custom data: the host's schemas check message and conversation metadata on every write.
const metadata = {
  message: z.strictObject({ orderId: z.string().regex(/^o-\d+$/), priority: z.number().int().default(0), note: z.string().optional() }),
  conversation: z.strictObject({ topic: z.enum(['sales', 'support']) }),
};

describeEachDatabase('typed metadata', (target) => {
  const t = useTestServer(target, { rateLimits: false, metadata });
  const tokens: Record<string, string> = {};
  let alice: string;
  let bob: string;
  let conversationId: string;

  beforeAll(async () => {
    [alice, bob] = [t().userId('md-a'), t().userId('md-b')];
    for (const user of [alice, bob]) tokens[user] = await t().token(user);
    const created = await t().call('POST', '/conversations', {
      token: tokens[alice],
      body: { participantIds: [bob], title: 'Orders', metadata: { topic: 'sales' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.conversation.metadata).toEqual({ topic: 'sales' });
    conversationId = created.body.conversation.id;
  });

  const messages = () => `/conversations/${conversationId}/messages`;
  const count = async () =>
    Number(
      (
        await t()
          .server.db.kysely.selectFrom('messages')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('stores the schema output on send, reads it back in pages, the conversation list and message.created', async () => {
    const clientId = randomUUID();
    const sent = await t().call('POST', messages(), {
      token: tokens[alice],
      body: { clientId, body: 'order', metadata: { orderId: 'o-1' } },
    });
    expect(sent.status).toBe(201);
    // The schema's default is applied and stored.
    expect(sent.body.message.metadata).toEqual({ orderId: 'o-1', priority: 0 });
    const page = await t().call('GET', messages(), { token: tokens[bob] });
    expect(page.body.messages.at(-1)).toMatchObject({ id: sent.body.message.id, metadata: { orderId: 'o-1', priority: 0 }, version: 1 });
    const list = await t().call('GET', '/conversations', { token: tokens[bob] });
    const listed = list.body.conversations.find((c: { id: string }) => c.id === conversationId);
    expect(listed.metadata).toEqual({ topic: 'sales' });
    expect(listed.lastMessage.metadata).toEqual({ orderId: 'o-1', priority: 0 });
    const event = await t()
      .server.db.kysely.selectFrom('outbox')
      .select('payload')
      .where('event', '=', 'message.created')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const payload = (typeof event.payload === 'string' ? JSON.parse(event.payload) : event.payload) as { message: { metadata: unknown } };
    expect(payload.message.metadata).toEqual({ orderId: 'o-1', priority: 0 });
  });

  it('refuses metadata that fails the schema or is over 4 KB: 422 unprocessable, nothing written', async () => {
    const before = await count();
    const cases: Array<[unknown, string]> = [
      [{ orderId: 'nope' }, 'metadata_invalid'],
      [{ orderId: 'o-2', extra: true }, 'metadata_invalid'],
      [{ orderId: 'o-2', note: 'x'.repeat(5000) }, 'metadata_too_large'],
    ];
    for (const [value, reason] of cases) {
      const answer = await t().call('POST', messages(), {
        token: tokens[alice],
        body: { clientId: randomUUID(), body: 'x', metadata: value },
      });
      expect(answer.status).toBe(422);
      expect(answer.body.error).toMatchObject({ code: 'unprocessable', details: { reason } });
    }
    const invalid = await t().call('POST', messages(), {
      token: tokens[alice],
      body: { clientId: randomUUID(), body: 'x', metadata: { orderId: 3 } },
    });
    expect(invalid.body.error.message).toMatch(/^invalid message metadata; metadata\.orderId: /);
    expect(invalid.body.error.details.issues[0].path).toBe('metadata.orderId');
    // Not a JSON object at all: the protocol's own 400.
    const shape = await t().call('POST', messages(), { token: tokens[alice], body: { clientId: randomUUID(), body: 'x', metadata: [1] } });
    expect(shape.status).toBe(400);
    expect(await count()).toBe(before);
    const conversation = await t().call('POST', '/conversations', {
      token: tokens[alice],
      body: { participantIds: [bob], title: 'Bad', metadata: { topic: 'gossip' } },
    });
    expect(conversation.status).toBe(422);
    expect(conversation.body.error.details.reason).toBe('metadata_invalid');
  });

  it('an edit replaces the metadata (checked the same way), keeps it when absent; a repeat changes nothing', async () => {
    const sent = (
      await t().call('POST', messages(), {
        token: tokens[alice],
        body: { clientId: randomUUID(), body: 'v1', metadata: { orderId: 'o-3' } },
      })
    ).body.message as { id: string };
    const path = `${messages()}/${sent.id}`;
    const refused = await t().call('PATCH', path, { token: tokens[alice], body: { body: 'v2', metadata: { orderId: 'bad' } } });
    expect(refused.status).toBe(422);
    const unchanged = await t().call('GET', messages(), { token: tokens[alice] });
    expect(unchanged.body.messages.find((m: { id: string }) => m.id === sent.id)).toMatchObject({ body: 'v1', editedAt: null, version: 1 });
    const edited = await t().call('PATCH', path, { token: tokens[alice], body: { body: 'v1', metadata: { priority: 2, orderId: 'o-4' } } });
    expect(edited.status).toBe(200);
    // Only the metadata changed: a new version for the events, no "edited" body.
    expect(edited.body.message).toMatchObject({ body: 'v1', editedAt: null, version: 2, metadata: { orderId: 'o-4', priority: 2 } });
    const again = await t().call('PATCH', path, { token: tokens[alice], body: { body: 'v1', metadata: { orderId: 'o-4', priority: 2 } } });
    expect(again.body.message.version).toBe(2);
    const bodyOnly = await t().call('PATCH', path, { token: tokens[alice], body: { body: 'v3' } });
    expect(bodyOnly.body.message).toMatchObject({ body: 'v3', version: 3, metadata: { orderId: 'o-4', priority: 2 } });
    expect(bodyOnly.body.message.editedAt).toEqual(expect.any(String));
    // A deleted message keeps no host data.
    const deleted = await t().call('DELETE', path, { token: tokens[alice] });
    expect(deleted.body.message.metadata).toBeUndefined();
  });

  it('an admin replaces the conversation metadata (PATCH), checked by the schema', async () => {
    const path = `/conversations/${conversationId}`;
    expect((await t().call('PATCH', path, { token: tokens[alice], body: { metadata: { topic: 'nope' } } })).status).toBe(422);
    expect((await t().call('PATCH', path, { token: tokens[alice], body: {} })).status).toBe(400);
    // Bob is a member, not an admin.
    expect((await t().call('PATCH', path, { token: tokens[bob], body: { metadata: { topic: 'support' } } })).status).toBe(403);
    const updated = await t().call('PATCH', path, { token: tokens[alice], body: { metadata: { topic: 'support' } } });
    expect(updated.status).toBe(200);
    expect(updated.body.conversation).toMatchObject({ title: 'Orders', metadata: { topic: 'support' } });
    expect((await t().call('GET', path, { token: tokens[bob] })).body.conversation.metadata).toEqual({ topic: 'support' });
  });
});

describeEachDatabase('metadata without a schema', (target) => {
  const t = useTestServer(target, { rateLimits: false });

  it('takes any JSON object up to 4 KB', async () => {
    const [alice, bob] = [t().userId('mn-a'), t().userId('mn-b')];
    const token = await t().token(alice);
    const { conversation } = await t().server.api.createConversation({ createdBy: alice, participantIds: [bob] });
    const path = `/conversations/${conversation.id}/messages`;
    const sent = await t().call('POST', path, {
      token,
      body: { clientId: randomUUID(), body: 'x', metadata: { any: [1, { deep: true }] } },
    });
    expect(sent.body.message.metadata).toEqual({ any: [1, { deep: true }] });
    const big = await t().call('POST', path, { token, body: { clientId: randomUUID(), body: 'x', metadata: { s: 'é'.repeat(2100) } } });
    expect(big.status).toBe(422);
    expect(big.body.error.details.reason).toBe('metadata_too_large');
  });
});
