import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

describeEachDatabase('moderation: blocks and mutes', (target) => {
  const t = useTestServer(target, { rateLimits: false });
  let alice: string;
  let bob: string;
  let carol: string;
  let tokens: Record<'alice' | 'bob' | 'carol', string>;
  let direct: string;
  let group: string;
  const send = (token: string, id: string, body = 'hi') =>
    t().call('POST', `/conversations/${id}/messages`, { token, body: { clientId: randomUUID(), body } });

  beforeAll(async () => {
    [alice, bob, carol] = [t().userId('bl-a'), t().userId('bl-b'), t().userId('bl-c')];
    tokens = { alice: await t().token(alice), bob: await t().token(bob), carol: await t().token(carol) };
    direct = (await t().server.api.createConversation({ createdBy: alice, participantIds: [bob] })).conversation.id;
    group = (await t().server.api.createConversation({ createdBy: alice, participantIds: [bob, carol], title: 'g' })).conversation.id;
  });

  it('a block stops direct messages both ways, reads blocked, and an unblock lifts it', async () => {
    expect((await send(tokens.bob, direct)).status).toBe(201);
    const put = await t().call('PUT', `/me/blocks/${bob}`, { token: tokens.alice });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ userId: bob, blocked: true });
    // A repeat changes nothing (and emits nothing).
    expect((await t().call('PUT', `/me/blocks/${bob}`, { token: tokens.alice })).status).toBe(200);

    for (const token of [tokens.bob, tokens.alice]) {
      const refused = await send(token, direct);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
      expect(refused.body.error.details).toEqual({ reason: 'blocked' });
      expect(refused.body.error.message).toMatch(/blocked/);
    }
    // Both read the direct conversation as blocked; the group is not.
    for (const token of [tokens.alice, tokens.bob]) {
      const read = await t().call('GET', `/conversations/${direct}`, { token });
      expect(read.body.conversation.blocked).toBe(true);
      const list = await t().call('GET', '/conversations', { token });
      const byId = Object.fromEntries(list.body.conversations.map((c: { id: string; blocked: boolean }) => [c.id, c.blocked]));
      expect(byId).toMatchObject({ [direct]: true, [group]: false });
    }
    // Groups still deliver (documented): the group is shared with others.
    expect((await send(tokens.bob, group)).status).toBe(201);

    const blocks = await t().call('GET', '/me/blocks', { token: tokens.alice });
    expect(blocks.body.blocks.map((b: { userId: string }) => b.userId)).toEqual([bob]);
    expect((await t().call('GET', '/me/blocks', { token: tokens.bob })).body.blocks).toEqual([]);

    const events = await t()
      .server.db.kysely.selectFrom('outbox')
      .select(['channel', 'payload'])
      .where('event', '=', 'user.blocked')
      .execute();
    expect(events.filter((e) => e.channel === `private-user.${alice}`).map((e) => e.payload)).toEqual([
      { blockerId: alice, blockedId: bob, blocked: true },
    ]);

    expect((await t().call('DELETE', `/me/blocks/${bob}`, { token: tokens.alice })).body).toEqual({ userId: bob, blocked: false });
    expect((await send(tokens.bob, direct)).status).toBe(201);
    expect((await t().call('GET', `/conversations/${direct}`, { token: tokens.bob })).body.conversation.blocked).toBe(false);
  });

  it('no new direct conversation with someone who blocked you; an existing one still opens', async () => {
    const dave = t().userId('bl-d');
    await t().server.api.call('blockUser', dave, { userId: carol });
    const refused = await t().call('POST', '/conversations', { token: tokens.carol, body: { participantIds: [dave] } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details).toEqual({ reason: 'blocked' });
    expect(await t().server.db.kysely.selectFrom('conversations').select('id').where('direct_key', 'like', `%${dave}%`).execute()).toEqual(
      [],
    );
    // alice and bob's conversation exists: opening it again answers it, blocked.
    await t().server.api.call('blockUser', bob, { userId: alice });
    const reopened = await t().call('POST', '/conversations', { token: tokens.alice, body: { participantIds: [bob] } });
    expect(reopened.status).toBe(200);
    expect(reopened.body.conversation).toMatchObject({ id: direct, blocked: true });
    await t().server.api.call('unblockUser', bob, { userId: alice });
  });

  it('bad block input is a 4xx: oneself, a malformed id', async () => {
    const self = await t().call('PUT', `/me/blocks/${alice}`, { token: tokens.alice });
    expect(self.status).toBe(422);
    expect(self.body.error.code).toBe('unprocessable');
    const bad = await t().call('PUT', `/me/blocks/${encodeURIComponent('has space')}`, { token: tokens.alice });
    expect(bad.status).toBe(400);
    expect((await t().call('GET', '/me/blocks', { token: undefined })).status).toBe(401);
  });

  it('a mute reads muted for the muter only and keeps counting unread', async () => {
    const put = await t().call('PUT', `/conversations/${group}/mute`, { token: tokens.carol });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ conversationId: group, muted: true });
    await send(tokens.alice, group, 'while muted');
    const mine = (await t().call('GET', `/conversations/${group}`, { token: tokens.carol })).body.conversation;
    expect(mine.muted).toBe(true);
    expect(mine.unreadCount).toBeGreaterThan(0);
    expect((await t().call('GET', `/conversations/${group}`, { token: tokens.bob })).body.conversation.muted).toBe(false);
    const listed = (await t().call('GET', '/conversations', { token: tokens.carol })).body.conversations;
    expect(listed.find((c: { id: string }) => c.id === group).muted).toBe(true);
    expect((await t().call('DELETE', `/conversations/${group}/mute`, { token: tokens.carol })).body).toEqual({
      conversationId: group,
      muted: false,
    });
    expect((await t().call('GET', `/conversations/${group}`, { token: tokens.carol })).body.conversation.muted).toBe(false);
  });

  it('mute of a conversation one is not in, or not a UUID, is 404', async () => {
    expect((await t().call('PUT', `/conversations/${direct}/mute`, { token: tokens.carol })).status).toBe(404);
    expect((await t().call('PUT', '/conversations/42/mute', { token: tokens.carol })).status).toBe(404);
  });
});
