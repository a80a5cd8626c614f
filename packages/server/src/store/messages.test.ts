import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

describeEachDatabase('sending messages', (target) => {
  const t = useTestServer(target);

  async function group(names: string[]) {
    const ids = names.map((n) => t().userId(n));
    const { conversation } = await t().server.api.createConversation({ createdBy: ids[0]!, participantIds: ids.slice(1), title: 'g' });
    return { ids, conversationId: conversation.id };
  }

  it('gives 50 concurrent sends to one conversation seq 1..50 exactly', async () => {
    const { ids, conversationId } = await group(['seq-a', 'seq-b', 'seq-c']);
    const tokens = await Promise.all(ids.map((id) => t().token(id)));
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t().call('POST', `/conversations/${conversationId}/messages`, {
          token: tokens[i % 3],
          body: { clientId: randomUUID(), body: `m${i}` },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(results.map((r) => r.body.message.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const conversation = await t().server.api.getConversation(ids[0]!, conversationId);
    expect(conversation?.lastSeq).toBe(50);
    expect(conversation?.lastMessage?.seq).toBe(50);
    const page = await t().server.api.listMessages(ids[1]!, conversationId, { limit: 100 });
    expect(page?.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // Unread counts: each participant has the messages of the other two unread.
    const sentBy = (id: string) => results.filter((r) => r.body.message.senderId === id).length;
    for (const id of ids) {
      const view = await t().server.api.getConversation(id, conversationId);
      expect(view?.unreadCount).toBe(50 - sentBy(id));
    }
  }, 30_000);

  it('answers a repeated send with the first message (200), once even when both race', async () => {
    const { ids, conversationId } = await group(['idem-a', 'idem-b']);
    const token = await t().token(ids[0]!);
    const clientId = randomUUID();
    const first = await t().call('POST', `/conversations/${conversationId}/messages`, { token, body: { clientId, body: 'hello' } });
    const again = await t().call('POST', `/conversations/${conversationId}/messages`, { token, body: { clientId, body: 'hello' } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.message).toEqual(first.body.message);

    const raced = randomUUID();
    const both = await Promise.all(
      [1, 2, 3].map(() =>
        t().call('POST', `/conversations/${conversationId}/messages`, { token, body: { clientId: raced, body: 'race' } }),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(both.map((r) => r.body.message.id)).size).toBe(1);
    const page = await t().server.api.listMessages(ids[0]!, conversationId);
    // No gap left behind by the losing sends: seq 1 and 2 only.
    expect(page?.messages.map((m) => m.seq)).toEqual([1, 2]);
    const conversation = await t().server.api.getConversation(ids[1]!, conversationId);
    expect(conversation?.unreadCount).toBe(2);
    expect(conversation?.lastSeq).toBe(2);
  });

  it('keeps unread counts exact across sends and reads in two conversations', async () => {
    const [a, b, c] = ['ur-a', 'ur-b', 'ur-c'].map((n) => t().userId(n)) as [string, string, string];
    const api = t().server.api;
    const one = (await api.createConversation({ createdBy: a, participantIds: [b] })).conversation.id;
    const two = (await api.createConversation({ createdBy: a, participantIds: [b, c], title: 'two' })).conversation.id;
    const unread = async (user: string, id: string) => (await api.getConversation(user, id))!.unreadCount;
    const send = (conversationId: string, senderId: string) => api.sendMessage({ conversationId, senderId, body: 'x' });

    await send(one, a);
    await send(one, a);
    await send(two, a);
    await send(two, c);
    expect(await unread(b, one)).toBe(2);
    expect(await unread(b, two)).toBe(2);
    expect(await unread(a, two)).toBe(1);
    expect(await unread(a, one)).toBe(0);

    // Reading up to seq 1 of `one` leaves 1 unread there, and `two` untouched.
    expect(await api.markRead(b, one, 1)).toEqual({ conversationId: one, lastReadSeq: 1, unreadCount: 1 });
    expect(await unread(b, two)).toBe(2);
    // Going back is ignored: the cursor only moves forward.
    expect(await api.markRead(b, one, 0)).toEqual({ conversationId: one, lastReadSeq: 1, unreadCount: 1 });
    // Past the end is clamped to the last seq.
    expect(await api.markRead(b, two, 99)).toEqual({ conversationId: two, lastReadSeq: 2, unreadCount: 0 });
    // b's own message does not count for b; a's later one does.
    await send(two, b);
    await send(two, a);
    expect(await unread(b, two)).toBe(1);
    // c still has a's first message, b's and a's new one: its own (seq 2) never counts.
    expect(await unread(c, two)).toBe(3);
    expect(await api.markRead(c, two)).toEqual({ conversationId: two, lastReadSeq: 4, unreadCount: 0 });
    expect(await api.markRead(b, one)).toEqual({ conversationId: one, lastReadSeq: 2, unreadCount: 0 });
    // The sender's cursor follows their own message when nothing of others is unread.
    expect((await api.getConversation(c, two))!.lastReadSeq).toBe(4);
    await send(two, c);
    expect((await api.getConversation(c, two))!.lastReadSeq).toBe(5);
  });

  it('never lets unread drift when reads and sends interleave', async () => {
    const { ids, conversationId } = await group(['drift-a', 'drift-b']);
    const api = t().server.api;
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      ops.push(api.sendMessage({ conversationId, senderId: ids[0]!, body: `m${i}` }));
      if (i % 3 === 0) ops.push(api.markRead(ids[1]!, conversationId));
    }
    await Promise.all(ops);
    const view = (await api.getConversation(ids[1]!, conversationId))!;
    expect(view.unreadCount).toBe(20 - view.lastReadSeq);
  });

  it('writes one message.created outbox row per participant, the sender socket excluded on its own row', async () => {
    const { ids, conversationId } = await group(['ob-a', 'ob-b', 'ob-c']);
    const notified: number[] = [];
    const unsubscribe = t().server.outboxSignal.subscribe(() => notified.push(1));
    const token = await t().token(ids[0]!);
    const before = await t().server.db.kysely.selectFrom('outbox').select('id').orderBy('id', 'desc').executeTakeFirst();
    const sent = await t().call('POST', `/conversations/${conversationId}/messages`, {
      token,
      body: { clientId: randomUUID(), body: 'hi all' },
      headers: { 'x-socket-id': '123.456', 'x-request-id': 'req-42' },
    });
    unsubscribe();
    expect(sent.status).toBe(201);
    expect(notified.length).toBe(1);
    const rows = await t()
      .server.db.kysely.selectFrom('outbox')
      .selectAll()
      .where('id', '>', before?.id ?? 0)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.channel).sort()).toEqual(ids.map((id) => `private-user.${id}`).sort());
    for (const row of rows) {
      expect(row.event).toBe('message.created');
      expect(row.conversation_id).toBe(conversationId);
      expect(row.payload).toEqual({ conversationId, seq: 1, message: sent.body.message });
      expect(row.request_id).toBe('req-42');
      expect(row.socket_id).toBe(row.channel === `private-user.${ids[0]}` ? '123.456' : null);
    }
  });

  it('leaves the message out of an event that would be too large', async () => {
    const { ids, conversationId } = await group(['big-a', 'big-b']);
    const { message } = await t().server.api.sendMessage({ conversationId, senderId: ids[0]!, body: '€'.repeat(4000) });
    const row = await t()
      .server.db.kysely.selectFrom('outbox')
      .select('payload')
      .where('conversation_id', '=', conversationId)
      .where('event', '=', 'message.created')
      .executeTakeFirstOrThrow();
    expect(row.payload).toEqual({ conversationId, seq: message.seq });
  });

  it('sends as a system sender that is not a participant', async () => {
    const { ids, conversationId } = await group(['sys-a', 'sys-b']);
    const { message, created } = await t().server.api.sendMessage({ conversationId, system: true, body: 'Welcome!' });
    expect(created).toBe(true);
    expect(message.senderId).toBe('system');
    for (const id of ids) expect((await t().server.api.getConversation(id, conversationId))!.unreadCount).toBe(1);
    // A non-participant user (not system) cannot.
    await expect(t().server.api.sendMessage({ conversationId, senderId: t().userId('stranger'), body: 'x' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
