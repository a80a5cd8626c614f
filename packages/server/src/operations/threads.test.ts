import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

// Issue 14: replies (quotes), threads (replyCount, thread pages, showInChannel) and mentions.
describeEachDatabase('replies, threads and mentions', (target) => {
  const t = useTestServer(target, { rateLimits: false });
  let alice: string;
  let bob: string;
  let carol: string;
  let stranger: string;
  const tokens: Record<string, string> = {};
  let conversationId: string;
  let otherConversationId: string;

  beforeAll(async () => {
    [alice, bob, carol, stranger] = [t().userId('th-a'), t().userId('th-b'), t().userId('th-c'), t().userId('th-x')];
    for (const user of [alice, bob, carol, stranger]) tokens[user] = await t().token(user);
    const api = t().server.api;
    conversationId = (await api.createConversation({ createdBy: alice, participantIds: [bob, carol], title: 'th' })).conversation.id;
    otherConversationId = (await api.createConversation({ createdBy: alice, participantIds: [stranger] })).conversation.id;
  });

  const send = (user: string, body: Record<string, unknown>, id = conversationId) =>
    t().call('POST', `/conversations/${id}/messages`, { token: tokens[user], body: { clientId: randomUUID(), body: 'x', ...body } });
  const page = async (user: string, query = '') =>
    (await t().call('GET', `/conversations/${conversationId}/messages${query}`, { token: tokens[user] })).body.messages as any[];
  const outbox = async (event: string) => {
    const rows = await t().server.db.kysely.selectFrom('outbox').selectAll().where('event', '=', event).orderBy('id').execute();
    return rows.map((r) => ({ channel: r.channel, payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload }));
  };

  it('a reply quotes a message of the conversation: a preview on send, on read and in message.created', async () => {
    const original = (await send(alice, { body: 'the original' })).body.message;
    const reply = await send(bob, { body: 'quoting you', replyTo: original.id });
    expect(reply.status).toBe(201);
    // With the original's seq: where a client loads history back to, to show it.
    const quote = { id: original.id, seq: original.seq, senderId: alice, body: 'the original', deletedAt: null };
    expect(reply.body.message.replyTo).toEqual(quote);
    expect((await page(carol)).find((m) => m.id === reply.body.message.id).replyTo).toEqual(quote);
    const created = (await outbox('message.created')).filter((r) => r.payload.seq === reply.body.message.seq);
    expect(created.map((r) => r.payload.message)).toEqual([reply.body.message, reply.body.message, reply.body.message]);
    // A long body is quoted as an excerpt of 200 characters.
    const long = (await send(alice, { body: 'y'.repeat(500) })).body.message;
    expect((await send(bob, { replyTo: long.id })).body.message.replyTo.body).toBe('y'.repeat(200));
    // Quoting a deleted message shows it as deleted, everywhere.
    await t().call('DELETE', `/conversations/${conversationId}/messages/${original.id}`, { token: tokens[alice] });
    const read = (await page(carol)).find((m) => m.id === reply.body.message.id).replyTo;
    expect(read).toMatchObject({ id: original.id, seq: original.seq, senderId: alice, body: '' });
    expect(read.deletedAt).toEqual(expect.any(String));
    const quotingDeleted = await send(bob, { replyTo: original.id });
    expect(quotingDeleted.body.message.replyTo).toEqual(read);
  });

  it('refuses a reply or thread reply to a message of another conversation (422), nothing written', async () => {
    const elsewhere = (await send(alice, { body: 'elsewhere' }, otherConversationId)).body.message;
    const before = await t().counts();
    for (const field of ['replyTo', 'threadId']) {
      const res = await send(alice, { [field]: elsewhere.id });
      expect(res.status, field).toBe(422);
      expect(res.body.error.code).toBe('unprocessable');
      expect(res.body.error.details.reason).toBe('reply_outside_conversation');
      // An id that is no message at all: the same answer.
      expect((await send(alice, { [field]: randomUUID() })).status).toBe(422);
    }
    // A stranger learns nothing of the message ids: 404 for the conversation, as for any send.
    expect((await send(stranger, { replyTo: elsewhere.id })).status).toBe(404);
    // Bad shapes are 400s.
    for (const body of [{ replyTo: 'nope' }, { threadId: 12 }, { showInChannel: true }, { mentions: 'bob' }, { mentions: ['has space'] }]) {
      const res = await send(alice, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect(await t().counts()).toEqual(before);
  });

  it('threads: the root keeps replyCount and lastReplyAt, the thread pages, hidden replies stay out of the channel', async () => {
    const root = (await send(alice, { body: 'thread root' })).body.message;
    const first = (await send(bob, { body: 'in thread 1', threadId: root.id })).body.message;
    expect(first).toMatchObject({ threadId: root.id, showInChannel: false });
    const shown = (await send(carol, { body: 'in thread 2, shown', threadId: root.id, showInChannel: true })).body.message;
    expect(shown).toMatchObject({ threadId: root.id, showInChannel: true });
    // A reply's id as threadId means its root: threads are one level deep.
    const third = (await send(alice, { body: 'in thread 3', threadId: first.id })).body.message;
    expect(third.threadId).toBe(root.id);

    const main = await page(bob);
    const ids = main.map((m) => m.id);
    expect(ids).toContain(shown.id);
    expect(ids).not.toContain(first.id);
    expect(ids).not.toContain(third.id);
    const readRoot = main.find((m) => m.id === root.id);
    expect(readRoot).toMatchObject({ replyCount: 3, lastReplyAt: third.createdAt });
    // A gap fill returns every seq, hidden replies included, so a client's copy stays contiguous.
    const gapFill = await page(bob, `?after=${root.seq}`);
    expect(gapFill.map((m) => m.seq)).toEqual([first.seq, shown.seq, third.seq]);

    const thread = await t().call('GET', `/conversations/${conversationId}/messages/${root.id}/thread`, { token: tokens[carol] });
    expect(thread.status).toBe(200);
    expect(thread.body.root).toMatchObject({ id: root.id, replyCount: 3 });
    expect(thread.body.messages.map((m: { id: string }) => m.id)).toEqual([first.id, shown.id, third.id]);
    expect(thread.body.hasMore).toBe(false);
    const paged = await t().call('GET', `/conversations/${conversationId}/messages/${root.id}/thread?limit=2`, { token: tokens[carol] });
    expect(paged.body.messages.map((m: { id: string }) => m.id)).toEqual([shown.id, third.id]);
    expect(paged.body.hasMore).toBe(true);
    const older = await t().call('GET', `/conversations/${conversationId}/messages/${root.id}/thread?before=${shown.seq}`, {
      token: tokens[carol],
    });
    expect(older.body.messages.map((m: { id: string }) => m.id)).toEqual([first.id]);

    const updates = (await outbox('thread.updated')).filter((r) => r.payload.messageId === root.id);
    // 3 replies x 3 participants, in order: the last carries the final count.
    expect(updates).toHaveLength(9);
    expect(updates.at(-1)!.payload).toEqual({
      conversationId,
      messageId: root.id,
      seq: root.seq,
      replyCount: 3,
      lastReplyAt: third.createdAt,
      replySeq: third.seq,
    });

    const url = (id: string, conv = conversationId) => `/conversations/${conv}/messages/${id}/thread`;
    expect((await t().call('GET', url(root.id), { token: tokens[stranger] })).status).toBe(404);
    expect((await t().call('GET', url(randomUUID()), { token: tokens[bob] })).status).toBe(404);
    expect((await t().call('GET', url('not-a-uuid'), { token: tokens[bob] })).status).toBe(404);
    expect((await t().call('GET', url(root.id, otherConversationId), { token: tokens[bob] })).status).toBe(404);
    expect((await t().call('GET', `${url(root.id)}?limit=0`, { token: tokens[bob] })).status).toBe(400);
  });

  it('mentions: participants only, stored structured, the mentioned unread entry is flagged until read', async () => {
    const mentioned = async (user: string) => {
      const list = await t().call('GET', '/conversations', { token: tokens[user] });
      return list.body.conversations.find((c: { id: string }) => c.id === conversationId).mentioned as boolean;
    };
    await t().call('POST', `/conversations/${conversationId}/read`, { token: tokens[bob], body: {} });
    expect(await mentioned(bob)).toBe(false);
    const sent = await send(alice, { body: 'hey @Bob', mentions: [bob, bob] });
    expect(sent.status).toBe(201);
    expect(sent.body.message.mentions).toEqual([bob]);
    expect((await page(carol)).find((m) => m.id === sent.body.message.id).mentions).toEqual([bob]);
    expect(await mentioned(bob)).toBe(true);
    expect(await mentioned(carol)).toBe(false);
    expect(await mentioned(alice)).toBe(false);
    await t().call('POST', `/conversations/${conversationId}/read`, { token: tokens[bob], body: {} });
    expect(await mentioned(bob)).toBe(false);

    const before = await t().counts();
    const refused = await send(alice, { mentions: [bob, stranger] });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual({ reason: 'mention_not_participant', userIds: [stranger] });
    const many = await send(alice, { mentions: Array.from({ length: 21 }, (_, i) => `u${i}`) });
    expect(many.status).toBe(400);
    expect(await t().counts()).toEqual(before);
  });
});
