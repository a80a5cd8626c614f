import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

describeEachDatabase('moderation: reports, bans and the host deleting any message', (target) => {
  const t = useTestServer(target, { rateLimits: false });
  let alice: string;
  let bob: string;
  let tokens: Record<'alice' | 'bob', string>;
  let group: string;
  let other: string;
  let messageId: string;
  const send = (token: string, id: string, body = 'hi') =>
    t().call('POST', `/conversations/${id}/messages`, { token, body: { clientId: randomUUID(), body } });

  beforeAll(async () => {
    [alice, bob] = [t().userId('rb-a'), t().userId('rb-b')];
    tokens = { alice: await t().token(alice), bob: await t().token(bob) };
    group = (await t().server.api.createConversation({ createdBy: alice, participantIds: [bob], title: 'g' })).conversation.id;
    other = (await t().server.api.createConversation({ createdBy: alice, participantIds: [bob], title: 'h' })).conversation.id;
    messageId = (await t().server.api.sendMessage({ conversationId: group, senderId: alice, body: 'buy pills' })).message.id;
  });

  it('a report is stored once, emits report.created and is listed for the host with paging', async () => {
    const path = `/conversations/${group}/messages/${messageId}/reports`;
    const first = await t().call('POST', path, { token: tokens.bob, body: { reason: 'spam' } });
    expect(first.status).toBe(201);
    expect(first.body.report).toMatchObject({ conversationId: group, messageId, reporterId: bob, reason: 'spam' });
    const again = await t().call('POST', path, { token: tokens.bob, body: { reason: 'still spam' } });
    expect(again.status).toBe(200);
    expect(again.body.report.id).toBe(first.body.report.id);

    const events = await t()
      .server.db.kysely.selectFrom('outbox')
      .select(['channel', 'payload'])
      .where('event', '=', 'report.created')
      .execute();
    expect(events).toEqual([
      {
        channel: `private-user.${bob}`,
        payload: { reportId: first.body.report.id, conversationId: group, messageId, reporterId: bob, reason: 'spam' },
      },
    ]);

    // Two more reports, so the host pages through three.
    for (const body of ['one', 'two']) {
      const id = (await t().server.api.sendMessage({ conversationId: group, senderId: alice, body })).message.id;
      await t().server.api.call('reportMessage', bob, { conversationId: group, messageId: id, reason: `bad ${body}` });
    }
    const page1 = await t().server.api.listReports({ limit: 2 });
    expect(page1.reports.map((r) => r.reason)).toEqual(['bad two', 'bad one']);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await t().server.api.listReports({ limit: 2, cursor: page1.nextCursor! });
    expect(page2.reports.map((r) => r.reason)).toEqual(['spam']);
    expect(page2.reports[0]!.message).toMatchObject({ id: messageId, body: 'buy pills' });
    expect(page2.nextCursor).toBeNull();
    expect((await t().server.api.listReports({ conversationId: other })).reports).toEqual([]);
  });

  it('bad report input is a 4xx, and only the host lists reports', async () => {
    const path = `/conversations/${group}/messages/${messageId}/reports`;
    expect((await t().call('POST', path, { token: tokens.bob, body: { reason: '' } })).status).toBe(400);
    expect((await t().call('POST', path, { token: tokens.bob, body: { reason: 'x'.repeat(501) } })).status).toBe(400);
    expect((await t().call('POST', path, { token: tokens.bob, body: { reason: 'ok', extra: 1 } })).status).toBe(400);
    expect(
      (await t().call('POST', `/conversations/${group}/messages/nope/reports`, { token: tokens.bob, body: { reason: 'x' } })).status,
    ).toBe(404);
    expect(
      (await t().call('POST', `/conversations/${group}/messages/${randomUUID()}/reports`, { token: tokens.bob, body: { reason: 'x' } }))
        .status,
    ).toBe(404);
    await expect(t().server.api.call('listReports', alice, {})).rejects.toMatchObject({ code: 'forbidden' });
    await expect(t().server.api.listReports({ cursor: 'garbage!' })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(t().server.api.listReports({ limit: 1000 })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('the host deletes any message, though not a participant', async () => {
    const { message } = await t().server.api.sendMessage({ conversationId: group, senderId: bob, body: 'rude' });
    const { message: deleted } = await t().server.api.deleteMessage(group, message.id);
    expect(deleted).toMatchObject({ id: message.id, body: '' });
    expect(deleted.deletedAt).not.toBeNull();
    await expect(t().server.api.deleteMessage(group, randomUUID())).rejects.toMatchObject({ code: 'not_found' });
    await expect(t().server.api.deleteMessage('42', message.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a conversation ban refuses everything there and nothing elsewhere; unban lifts it', async () => {
    await t().server.api.banUser(bob, { conversationId: group, reason: 'spam' });
    const refused = await send(tokens.bob, group);
    expect(refused.status).toBe(403);
    expect(refused.body.error.details).toEqual({ reason: 'banned', conversationId: group });
    expect((await t().call('GET', `/conversations/${group}/messages`, { token: tokens.bob })).status).toBe(403);
    const channel = await t().call('POST', '/realtime/auth', {
      token: tokens.bob,
      rawBody: `socket_id=1.2&channel_name=presence-conversation.${group}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(channel.status).toBe(403);
    expect((await send(tokens.bob, other)).status).toBe(201);
    expect((await t().call('GET', '/me', { token: tokens.bob })).status).toBe(200);
    await t().server.api.unbanUser(bob, { conversationId: group });
    expect((await send(tokens.bob, group)).status).toBe(201);
  });

  it('an app ban: the token works for nothing, every route 403, until unbanned', async () => {
    await t().server.api.banUser(bob);
    await t().server.api.banUser(bob); // a repeat changes nothing
    for (const [method, path] of [
      ['GET', '/me'],
      ['GET', '/conversations'],
      ['GET', `/conversations/${other}`],
      ['GET', '/me/blocks'],
    ] as const) {
      const res = await t().call(method, path, { token: tokens.bob });
      expect(res.status).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'forbidden', details: { reason: 'banned', conversationId: null } });
      expect(res.body.error.message).toMatch(/banned/);
    }
    expect((await send(tokens.bob, other)).status).toBe(403);
    const ownChannel = await t().call('POST', '/realtime/auth', {
      token: tokens.bob,
      rawBody: `socket_id=1.2&channel_name=private-user.${bob}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(ownChannel.status).toBe(403);
    // alice is unaffected.
    expect((await t().call('GET', '/me', { token: tokens.alice })).status).toBe(200);
    await t().server.api.unbanUser(bob);
    expect((await t().call('GET', '/me', { token: tokens.bob })).status).toBe(200);
  });

  it('bad ban input is a 4xx', async () => {
    await expect(t().server.api.banUser('has space')).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(t().server.api.banUser(bob, { conversationId: randomUUID() })).rejects.toMatchObject({ code: 'not_found' });
    await expect(t().server.api.banUser(bob, { reason: 'x'.repeat(501) })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(t().server.api.call('banUser', alice, { userId: bob })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
