import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

// Issue 14, pins: group admins (either side of a direct conversation) pin and unpin; GET …/pins lists them.
describeEachDatabase('message pins', (target) => {
  const t = useTestServer(target, { rateLimits: false });
  let admin: string;
  let member: string;
  let stranger: string;
  const tokens: Record<string, string> = {};
  let group: string;
  let direct: string;

  beforeAll(async () => {
    [admin, member, stranger] = [t().userId('pn-a'), t().userId('pn-m'), t().userId('pn-x')];
    for (const user of [admin, member, stranger]) tokens[user] = await t().token(user);
    const api = t().server.api;
    group = (await api.createConversation({ createdBy: admin, participantIds: [member], title: 'Pins' })).conversation.id;
    direct = (await api.createConversation({ createdBy: admin, participantIds: [member] })).conversation.id;
  });

  const as = (user: string) => ({ token: tokens[user] });
  const pinPath = (conv: string, id: string) => `/conversations/${conv}/messages/${id}/pin`;
  const pins = async (conv: string, user: string) =>
    ((await t().call('GET', `/conversations/${conv}/pins`, as(user))).body.messages as { id: string }[]).map((m) => m.id);

  it('admins pin and unpin in a group, members may not; pins list latest first; message.updated with a new version', async () => {
    const first = (await t().server.api.sendMessage({ conversationId: group, senderId: member, body: 'one' })).message;
    const second = (await t().server.api.sendMessage({ conversationId: group, senderId: member, body: 'two' })).message;
    const refused = await t().call('PUT', pinPath(group, first.id), as(member));
    expect(refused.status).toBe(403);
    expect(refused.body.error.details.reason).toBe('admin_only');
    const pinned = await t().call('PUT', pinPath(group, first.id), as(admin));
    expect(pinned.status).toBe(200);
    expect(pinned.body.message).toMatchObject({ id: first.id, pinnedBy: admin, pinnedAt: expect.any(String) });
    expect((await t().call('PUT', pinPath(group, first.id), as(admin))).body.message.pinnedAt).toBe(pinned.body.message.pinnedAt);
    await t().call('PUT', pinPath(group, second.id), as(admin));
    expect(await pins(group, member)).toEqual([second.id, first.id]);
    const page = await t().call('GET', `/conversations/${group}/messages`, as(member));
    expect(page.body.messages.find((m: { id: string }) => m.id === first.id).pinnedBy).toBe(admin);
    const updates = await t()
      .server.db.kysely.selectFrom('outbox')
      .selectAll()
      .where('event', '=', 'message.updated')
      .where('conversation_id', '=', group)
      .orderBy('id')
      .execute();
    // 2 pins x 2 participants (the repeat changed nothing).
    expect(updates).toHaveLength(4);
    const payload = typeof updates[0]!.payload === 'string' ? JSON.parse(updates[0]!.payload) : updates[0]!.payload;
    expect(payload).toMatchObject({ messageId: first.id, version: 2, message: { pinnedBy: admin } });

    expect((await t().call('DELETE', pinPath(group, first.id), as(member))).status).toBe(403);
    const unpinned = await t().call('DELETE', pinPath(group, first.id), as(admin));
    expect(unpinned.status).toBe(200);
    expect(unpinned.body.message.pinnedAt).toBeUndefined();
    expect(await pins(group, admin)).toEqual([second.id]);
    // Deleting a pinned message unpins it; a deleted message cannot be pinned.
    await t().call('DELETE', `/conversations/${group}/messages/${second.id}`, as(member));
    expect(await pins(group, admin)).toEqual([]);
    expect((await t().call('PUT', pinPath(group, second.id), as(admin))).status).toBe(409);
  });

  it('either side pins in a direct conversation; strangers and bad ids get 404', async () => {
    const { message } = await t().server.api.sendMessage({ conversationId: direct, senderId: admin, body: 'direct' });
    expect((await t().call('PUT', pinPath(direct, message.id), as(member))).status).toBe(200);
    expect(await pins(direct, admin)).toEqual([message.id]);
    expect((await t().call('PUT', pinPath(direct, message.id), as(stranger))).status).toBe(404);
    expect((await t().call('GET', `/conversations/${direct}/pins`, as(stranger))).status).toBe(404);
    expect((await t().call('PUT', pinPath(direct, 'nope'), as(admin))).status).toBe(404);
    expect((await t().call('PUT', pinPath(group, message.id), as(admin))).status).toBe(404);
    expect((await t().call('GET', '/conversations/nope/pins', as(admin))).status).toBe(404);
  });
});
