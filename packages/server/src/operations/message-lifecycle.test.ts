import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

// Issue 14: edit (with every version kept) and soft delete, over HTTP, with their outbox events.
describeEachDatabase('message lifecycle: edit, versions, delete', (target) => {
  const t = useTestServer(target, { rateLimits: false });
  let alice: string;
  let bob: string;
  let stranger: string;
  const tokens: Record<string, string> = {};
  let conversationId: string;

  beforeAll(async () => {
    [alice, bob, stranger] = [t().userId('ml-a'), t().userId('ml-b'), t().userId('ml-x')];
    for (const user of [alice, bob, stranger]) tokens[user] = await t().token(user);
    conversationId = (await t().server.api.createConversation({ createdBy: alice, participantIds: [bob] })).conversation.id;
  });

  const send = async (body: string) =>
    (await t().call('POST', `/conversations/${conversationId}/messages`, { token: tokens[alice], body: { clientId: randomUUID(), body } }))
      .body.message as { id: string; seq: number };
  const path = (id: string) => `/conversations/${conversationId}/messages/${id}`;
  const events = async (event: string) =>
    (await t().server.db.kysely.selectFrom('outbox').selectAll().where('event', '=', event).orderBy('id').execute()).map((r) => ({
      channel: r.channel,
      payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
    }));

  it('edits: 200 with editedAt, every version kept, message.updated to each participant', async () => {
    const sent = await send('helo');
    const first = await t().call('PATCH', path(sent.id), { token: tokens[alice], body: { body: 'hello' } });
    expect(first.status).toBe(200);
    expect(first.body.message).toMatchObject({ id: sent.id, seq: sent.seq, body: 'hello' });
    expect(first.body.message.editedAt).toEqual(expect.any(String));
    await t().call('PATCH', path(sent.id), { token: tokens[alice], body: { body: 'hello!' } });
    const versions = await t().call('GET', `${path(sent.id)}/versions`, { token: tokens[bob] });
    expect(versions.status).toBe(200);
    expect(versions.body.versions.map((v: { version: number; body: string }) => [v.version, v.body])).toEqual([
      [1, 'helo'],
      [2, 'hello'],
      [3, 'hello!'],
    ]);
    const page = await t().call('GET', `/conversations/${conversationId}/messages`, { token: tokens[bob] });
    expect(page.body.messages.find((m: { id: string }) => m.id === sent.id).body).toBe('hello!');
    const updated = (await events('message.updated')).filter((e) => e.payload.messageId === sent.id);
    expect(updated.map((e) => e.channel).sort()).toEqual(
      [`private-user.${alice}`, `private-user.${bob}`, `private-user.${alice}`, `private-user.${bob}`].sort(),
    );
    expect(updated.at(-1)!.payload).toMatchObject({ conversationId, seq: sent.seq, version: 3, message: { body: 'hello!' } });
    // The same body again (a retried PATCH) makes no new version.
    await t().call('PATCH', path(sent.id), { token: tokens[alice], body: { body: 'hello!' } });
    expect((await t().call('GET', `${path(sent.id)}/versions`, { token: tokens[alice] })).body.versions).toHaveLength(3);
  });

  it("refuses another's message (403), a stranger (404), an unknown or malformed id (404), a blank body (400)", async () => {
    const sent = await send('mine');
    const cases: Array<[string, string, unknown, number]> = [
      [tokens[bob]!, path(sent.id), { body: 'yours now' }, 403],
      [tokens[stranger]!, path(sent.id), { body: 'x' }, 404],
      [tokens[alice]!, path(randomUUID()), { body: 'x' }, 404],
      [tokens[alice]!, path('42'), { body: 'x' }, 404],
      [tokens[alice]!, path(sent.id), { body: '  ' }, 400],
      [tokens[alice]!, path(sent.id), { body: 'x'.repeat(4001) }, 400],
      [tokens[alice]!, path(sent.id), { body: 'x', extra: 1 }, 400],
    ];
    for (const [token, where, body, status] of cases) {
      const res = await t().call('PATCH', where, { token, body });
      expect(res.status, JSON.stringify(body)).toBe(status);
    }
    expect((await t().call('DELETE', path(sent.id), { token: tokens[bob] })).status).toBe(403);
    expect((await t().call('DELETE', path(sent.id), { token: tokens[stranger] })).status).toBe(404);
    expect((await t().call('GET', `${path(sent.id)}/versions`, { token: tokens[stranger] })).status).toBe(404);
    const versions = await t().call('GET', `${path(sent.id)}/versions`, { token: tokens[alice] });
    expect(versions.body.versions.map((v: { body: string }) => v.body)).toEqual(['mine']);
  });

  it('deletes: body "" in every read, seq kept, unread and the last message follow, message.deleted', async () => {
    const kept = await send('stays');
    const gone = await send('oops');
    await t().call('PATCH', path(gone.id), { token: tokens[alice], body: { body: 'oops!' } });
    const before = await t().call('GET', `/conversations/${conversationId}`, { token: tokens[bob] });
    const res = await t().call('DELETE', path(gone.id), { token: tokens[alice] });
    expect(res.status).toBe(200);
    expect(res.body.message).toMatchObject({ id: gone.id, seq: gone.seq, body: '' });
    expect(res.body.message.deletedAt).toEqual(expect.any(String));
    const page = await t().call('GET', `/conversations/${conversationId}/messages?after=${kept.seq - 1}`, { token: tokens[bob] });
    expect(page.body.messages.map((m: { seq: number; body: string }) => [m.seq, m.body])).toEqual([
      [kept.seq, 'stays'],
      [gone.seq, ''],
    ]);
    const after = await t().call('GET', `/conversations/${conversationId}`, { token: tokens[bob] });
    expect(after.body.conversation.unreadCount).toBe(before.body.conversation.unreadCount - 1);
    expect(after.body.conversation.lastMessage).toMatchObject({ id: gone.id, body: '', deletedAt: expect.any(String) });
    expect((await t().call('GET', `${path(gone.id)}/versions`, { token: tokens[bob] })).body.versions).toEqual([]);
    const stored = await t().server.db.kysely.selectFrom('message_versions').selectAll().where('message_id', '=', gone.id).execute();
    expect(stored).toEqual([]);
    const deleted = (await events('message.deleted')).filter((e) => e.payload.messageId === gone.id);
    expect(deleted.map((e) => e.channel).sort()).toEqual([`private-user.${alice}`, `private-user.${bob}`].sort());
    expect(deleted[0]!.payload).toEqual({
      conversationId,
      messageId: gone.id,
      seq: gone.seq,
      version: 3,
      deletedAt: res.body.message.deletedAt,
    });
    // Again: the same answer, nothing more written; a deleted message cannot be edited (409).
    expect((await t().call('DELETE', path(gone.id), { token: tokens[alice] })).body.message.deletedAt).toBe(res.body.message.deletedAt);
    expect((await t().call('PATCH', path(gone.id), { token: tokens[alice], body: { body: 'back' } })).status).toBe(409);
    // A mark-read recount skips deleted messages.
    const read = await t().call('POST', `/conversations/${conversationId}/read`, { token: tokens[bob], body: { seq: kept.seq - 1 } });
    expect(read.body.unreadCount).toBe(1);
  });
});

describeEachDatabase('message lifecycle: the host edit policy', (target) => {
  const off = useTestServer(target, { rateLimits: false, messages: { edit: false } });
  const windowed = useTestServer(target, { rateLimits: false, messages: { edit: { withinMinutes: 1 } } });

  it.each([
    ['off', off, 'edit_disabled'],
    ['1 minute', windowed, 'edit_window_closed'],
  ] as const)('editing %s: 403 forbidden with details.reason', async (_name, t, reason) => {
    const [a, b] = [t().userId('ep-a'), t().userId('ep-b')];
    const conversationId = (await t().server.api.createConversation({ createdBy: a, participantIds: [b] })).conversation.id;
    const { message } = await t().server.api.call('sendMessage', a, { conversationId, body: 'old' });
    if (reason === 'edit_window_closed') {
      // Inside the window the edit goes through; two minutes later it is refused.
      await expect(t().server.api.call('editMessage', a, { conversationId, messageId: message.id, body: 'new' })).resolves.toBeTruthy();
      await t()
        .server.db.kysely.updateTable('messages')
        .set({ created_at: new Date(Date.now() - 120_000) })
        .where('id', '=', message.id)
        .execute();
    }
    const res = await t().call('PATCH', `/conversations/${conversationId}/messages/${message.id}`, {
      token: await t().token(a),
      body: { body: 'newer' },
    });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden', details: { reason } });
  });

  describe('a bad policy', () => {
    it('throws at startup', async () => {
      const { createChatServer } = await import('../chat-server');
      expect(() => createChatServer({ secret: 's'.repeat(40), messages: { edit: { withinMinutes: -1 } } })).toThrow(/withinMinutes/);
    });
  });
});
