import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

// Issue 14: reactions: one of each emoji per user, a summary on each message as read, limits, events.
describeEachDatabase('message reactions', (target) => {
  const t = useTestServer(target, { rateLimits: false });
  let alice: string;
  let bob: string;
  let stranger: string;
  const tokens: Record<string, string> = {};
  let conversationId: string;
  let messageId: string;

  beforeAll(async () => {
    [alice, bob, stranger] = [t().userId('rx-a'), t().userId('rx-b'), t().userId('rx-x')];
    for (const user of [alice, bob, stranger]) tokens[user] = await t().token(user);
    conversationId = (await t().server.api.createConversation({ createdBy: alice, participantIds: [bob] })).conversation.id;
    messageId = (await t().server.api.call('sendMessage', alice, { conversationId, body: 'react to me' })).message.id;
  });

  const path = (emoji: string, id = messageId) => `/conversations/${conversationId}/messages/${id}/reactions/${encodeURIComponent(emoji)}`;
  const unread = async (user: string) =>
    (await t().call('GET', `/conversations/${conversationId}`, { token: tokens[user] })).body.conversation.unreadCount as number;

  it('one of each emoji per user, a summary as read, reaction.updated, no unread bump', async () => {
    const bobUnread = await unread(bob);
    expect((await t().call('PUT', path('👍'), { token: tokens[alice] })).status).toBe(200);
    const again = await t().call('PUT', path('👍'), { token: tokens[alice] });
    expect(again.body.reactions).toEqual([{ emoji: '👍', count: 1, reactedByMe: true, userIds: [alice] }]);
    const byBob = await t().call('PUT', path('👍'), { token: tokens[bob] });
    expect(byBob.body.reactions).toEqual([{ emoji: '👍', count: 2, reactedByMe: true, userIds: [alice, bob] }]);
    await t().call('PUT', path('🇫🇷'), { token: tokens[bob] });
    await t().call('PUT', path('👍🏽'), { token: tokens[bob] });
    const page = await t().call('GET', `/conversations/${conversationId}/messages`, { token: tokens[alice] });
    expect(page.body.messages.find((m: { id: string }) => m.id === messageId).reactions).toEqual([
      { emoji: '👍', count: 2, reactedByMe: true, userIds: [alice, bob] },
      { emoji: '🇫🇷', count: 1, reactedByMe: false, userIds: [bob] },
      { emoji: '👍🏽', count: 1, reactedByMe: false, userIds: [bob] },
    ]);
    const removed = await t().call('DELETE', path('👍'), { token: tokens[alice] });
    expect(removed.status).toBe(200);
    expect(removed.body.reactions[0]).toEqual({ emoji: '👍', count: 1, reactedByMe: false, userIds: [bob] });
    expect(await unread(bob)).toBe(bobUnread);
    const rows = await t()
      .server.db.kysely.selectFrom('outbox')
      .selectAll()
      .where('event', '=', 'reaction.updated')
      .orderBy('id')
      .execute();
    // 5 changes (the repeated PUT changed nothing) x 2 participants.
    expect(rows).toHaveLength(10);
    const last = rows.at(-1)!;
    const payload = typeof last.payload === 'string' ? JSON.parse(last.payload) : last.payload;
    expect(payload).toEqual({ conversationId, messageId, seq: 1, emoji: '👍', userId: alice, reacted: false, count: 1 });
  });

  it('refuses what is not an emoji (400), a stranger (404), a deleted message (409), a 21st emoji (422)', async () => {
    for (const bad of ['a', 'ok', '<b>', '1', '👍'.repeat(17)]) {
      const res = await t().call('PUT', path(bad), { token: tokens[alice] });
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await t().call('PUT', path('🎉'), { token: tokens[stranger] })).status).toBe(404);
    const emoji = ['😀', '😁', '😂', '🤣', '😃', '😄', '😅', '😆', '😉', '😊', '😋', '😎', '😍', '😘', '🥰', '😗', '😙'];
    const { message } = await t().server.api.call('sendMessage', alice, { conversationId, body: 'many' });
    for (const e of [...emoji, '🎉', '🔥', '❤️'])
      expect((await t().call('PUT', path(e, message.id), { token: tokens[bob] })).status).toBe(200);
    const over = await t().call('PUT', path('🙈', message.id), { token: tokens[bob] });
    expect(over.status).toBe(422);
    // An emoji already there still takes one more user.
    expect((await t().call('PUT', path('🔥', message.id), { token: tokens[alice] })).status).toBe(200);
    await t().call('DELETE', `/conversations/${conversationId}/messages/${message.id}`, { token: tokens[alice] });
    expect((await t().call('PUT', path('🔥', message.id), { token: tokens[bob] })).status).toBe(409);
    const page = await t().call('GET', `/conversations/${conversationId}/messages`, { token: tokens[bob] });
    expect(page.body.messages.find((m: { id: string }) => m.id === message.id).reactions).toBeUndefined();
  });
});
