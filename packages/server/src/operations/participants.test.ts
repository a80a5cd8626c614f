import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';
import { until } from '../../test/kit/until';

// Issue 14, roles: a group's creator is admin; admins delete anyone's message, add, remove, rename;
// anyone leaves; a removed participant is out at once (no events, no reads, no presence channel).
describeEachDatabase('participant roles and membership', (target) => {
  const t = useTestServer(target, { rateLimits: false });
  let admin: string;
  let member: string;
  let newcomer: string;
  let stranger: string;
  const tokens: Record<string, string> = {};
  let group: string;
  let direct: string;

  beforeAll(async () => {
    [admin, member, newcomer, stranger] = [t().userId('ro-a'), t().userId('ro-m'), t().userId('ro-n'), t().userId('ro-x')];
    for (const user of [admin, member, newcomer, stranger]) tokens[user] = await t().token(user);
    const api = t().server.api;
    group = (await api.createConversation({ createdBy: admin, participantIds: [member], title: 'Roles' })).conversation.id;
    direct = (await api.createConversation({ createdBy: admin, participantIds: [member] })).conversation.id;
  });

  const as = (user: string) => ({ token: tokens[user] });
  const roles = async (id: string, user = admin) =>
    Object.fromEntries(
      (await t().call('GET', `/conversations/${id}`, as(user))).body.conversation.participants.map((p: any) => [p.user.id, p.role]),
    );
  const outbox = async (event: string) => {
    const rows = await t().server.db.kysely.selectFrom('outbox').selectAll().where('event', '=', event).orderBy('id').execute();
    return rows.map((r) => ({ channel: r.channel, payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload }));
  };

  it('the group creator is admin, everyone else a member; a direct conversation has two members', async () => {
    expect(await roles(group)).toEqual({ [admin]: 'admin', [member]: 'member' });
    expect(await roles(direct)).toEqual({ [admin]: 'member', [member]: 'member' });
  });

  it('admins add participants (caught up, participant.added), members may not; a direct conversation takes none', async () => {
    await t().server.api.sendMessage({ conversationId: group, senderId: member, body: 'before the newcomer' });
    const path = `/conversations/${group}/participants`;
    const byMember = await t().call('POST', path, { ...as(member), body: { userIds: [newcomer] } });
    expect(byMember.status).toBe(403);
    expect(byMember.body.error.details.reason).toBe('admin_only');
    expect((await t().call('POST', path, { ...as(stranger), body: { userIds: [stranger] } })).status).toBe(404);
    const inDirect = await t().call('POST', `/conversations/${direct}/participants`, { ...as(admin), body: { userIds: [newcomer] } });
    expect(inDirect.status).toBe(422);
    expect(inDirect.body.error.details.reason).toBe('direct_conversation');
    for (const body of [{ userIds: [] }, { userIds: ['has space'] }, { userIds: Array.from({ length: 21 }, (_, i) => `u${i}`) }, {}]) {
      expect((await t().call('POST', path, { ...as(admin), body })).status, JSON.stringify(body)).toBe(400);
    }

    const added = await t().call('POST', path, { ...as(admin), body: { userIds: [newcomer, member] } });
    expect(added.status).toBe(200);
    expect(added.body.conversation.participants.map((p: any) => p.user.id).sort()).toEqual([admin, member, newcomer].sort());
    const mine = (await t().call('GET', `/conversations/${group}`, as(newcomer))).body.conversation;
    expect(mine).toMatchObject({ unreadCount: 0, lastReadSeq: mine.lastSeq });
    expect((await t().call('GET', `/conversations/${group}/messages`, as(newcomer))).body.messages).toHaveLength(1);
    const events = await outbox('participant.added');
    expect(events.map((e) => e.channel).sort()).toEqual([admin, member, newcomer].map((u) => `private-user.${u}`).sort());
    expect(events[0]!.payload).toEqual({ conversationId: group, userIds: [newcomer], addedBy: admin });
    // Again: nothing to add, no event.
    await t().call('POST', path, { ...as(admin), body: { userIds: [newcomer] } });
    expect(await outbox('participant.added')).toHaveLength(3);
  });

  it("admins delete anyone's message; members only their own", async () => {
    const { message } = await t().server.api.sendMessage({ conversationId: group, senderId: member, body: 'moderate me' });
    const { message: byAdmin } = await t().server.api.sendMessage({ conversationId: group, senderId: admin, body: 'mine' });
    const del = (id: string, user: string) => t().call('DELETE', `/conversations/${group}/messages/${id}`, as(user));
    expect((await del(byAdmin.id, newcomer)).status).toBe(403);
    expect((await del(message.id, admin)).status).toBe(200);
    // In a direct conversation nobody is admin: another's message stays theirs.
    const { message: inDirect } = await t().server.api.sendMessage({ conversationId: direct, senderId: member, body: 'x' });
    expect((await t().call('DELETE', `/conversations/${direct}/messages/${inDirect.id}`, as(admin))).status).toBe(403);
  });

  it('admins rename a group (conversation.updated); members and direct conversations may not', async () => {
    const path = `/conversations/${group}`;
    expect((await t().call('PATCH', path, { ...as(member), body: { title: 'Nope' } })).status).toBe(403);
    expect((await t().call('PATCH', `/conversations/${direct}`, { ...as(admin), body: { title: 'Nope' } })).status).toBe(422);
    expect((await t().call('PATCH', path, { ...as(stranger), body: { title: 'Nope' } })).status).toBe(404);
    for (const body of [{ title: '' }, { title: 't'.repeat(201) }, { title: 3 }, {}, { title: 'ok', kind: 'direct' }]) {
      expect((await t().call('PATCH', path, { ...as(admin), body })).status, JSON.stringify(body)).toBe(400);
    }
    const before = (await outbox('conversation.updated')).length;
    const renamed = await t().call('PATCH', path, { ...as(admin), body: { title: '  Renamed  ' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.conversation.title).toBe('Renamed');
    const updates = (await outbox('conversation.updated')).slice(before);
    expect(updates).toHaveLength(3);
    expect(updates.every((u) => u.payload.conversation.title === 'Renamed')).toBe(true);
  });

  it('a removed participant is out at once: no reads, no presence channel, no further events; leaving too', async () => {
    const path = (user: string) => `/conversations/${group}/participants/${encodeURIComponent(user)}`;
    expect((await t().call('DELETE', path(admin), as(member))).status).toBe(403);
    expect((await t().call('DELETE', path(stranger), as(admin))).status).toBe(404);
    expect((await t().call('DELETE', path('has space'), as(admin))).status).toBe(404);
    expect((await t().call('DELETE', `/conversations/${direct}/participants/${member}`, as(member))).status).toBe(422);

    const removed = await t().call('DELETE', path(newcomer), as(admin));
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ conversationId: group, userId: newcomer });
    // Their connections close through the outbox, after their participant.removed (participant-removal.integration.test.ts).
    await until('the removed user to be disconnected', () => t().broadcaster.disconnected.includes(newcomer));
    const gone = await outbox('participant.removed');
    expect(gone.map((e) => e.channel).sort()).toEqual([admin, member, newcomer].map((u) => `private-user.${u}`).sort());
    expect(gone[0]!.payload).toEqual({ conversationId: group, userId: newcomer, removedBy: admin });
    expect((await t().call('GET', `/conversations/${group}/messages`, as(newcomer))).status).toBe(404);
    const auth = await t().call('POST', '/realtime/auth', {
      ...as(newcomer),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: `socket_id=1.2&channel_name=presence-conversation.${group}`,
    });
    expect(auth.status).toBe(403);
    const { message } = await t().server.api.sendMessage({ conversationId: group, senderId: member, body: 'after' });
    const created = (await outbox('message.created')).filter((e) => e.payload.seq === message.seq);
    expect(created.map((e) => e.channel)).not.toContain(`private-user.${newcomer}`);
    const list = await t().call('GET', '/conversations', as(newcomer));
    expect(list.body.conversations.map((c: { id: string }) => c.id)).not.toContain(group);

    // The last admin leaves: the longest-standing member becomes admin.
    expect((await t().call('DELETE', path(admin), as(admin))).status).toBe(200);
    expect(await roles(group, member)).toEqual({ [member]: 'admin' });
    expect(
      (await t().call('POST', `/conversations/${group}/messages`, { ...as(admin), body: { clientId: randomUUID(), body: 'x' } })).status,
    ).toBe(404);
  });
});
