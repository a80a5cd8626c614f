import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';
import { decodeCursor, encodeCursor } from './cursor';

describeEachDatabase('conversations', (target) => {
  const t = useTestServer(target);

  it('opens the same direct conversation when both users open it at the same moment', async () => {
    const [a, b] = [t().userId('race-a'), t().userId('race-b')];
    const [ta, tb] = await Promise.all([t().token(a), t().token(b)]);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t().call('POST', '/conversations', { token: i % 2 ? ta : tb, body: { participantIds: [i % 2 ? b : a] } }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.conversation.id)).size).toBe(1);
    const created = results.find((r) => r.status === 201)!.body.conversation;
    expect(created.kind).toBe('direct');
    expect(created.participants.map((p: { user: { id: string } }) => p.user.id).sort()).toEqual([a, b].sort());
    const rows = await t()
      .server.db.kysely.selectFrom('participants')
      .select('user_id')
      .where('conversation_id', '=', created.id)
      .execute();
    expect(rows).toHaveLength(2);
    // Only the creation broadcast conversation.updated (one row per participant).
    const events = await t().server.db.kysely.selectFrom('outbox').select('channel').where('conversation_id', '=', created.id).execute();
    expect(events.map((e) => e.channel).sort()).toEqual([`private-user.${a}`, `private-user.${b}`].sort());
  });

  it('makes a group when there is a title or more than one other participant', async () => {
    const [a, b, c] = ['grp-a', 'grp-b', 'grp-c'].map((n) => t().userId(n)) as [string, string, string];
    const token = await t().token(a, { name: 'Ann' });
    const titled = await t().call('POST', '/conversations', { token, body: { participantIds: [b], title: ' Plans ' } });
    expect(titled.status).toBe(201);
    expect(titled.body.conversation).toMatchObject({ kind: 'group', title: 'Plans', lastSeq: 0, unreadCount: 0, lastMessage: null });
    const three = await t().call('POST', '/conversations', { token, body: { participantIds: [b, c, b, a] } });
    expect(three.status).toBe(201);
    expect(three.body.conversation.kind).toBe('group');
    expect(three.body.conversation.participants).toHaveLength(3);
    const me = three.body.conversation.participants.find((p: { user: { id: string } }) => p.user.id === a);
    expect(me.user).toEqual({ id: a, name: 'Ann', avatarUrl: null });
    // A second group with the same people is a new conversation.
    const again = await t().call('POST', '/conversations', { token, body: { participantIds: [b, c] } });
    expect(again.body.conversation.id).not.toBe(three.body.conversation.id);
  });

  it('refuses a conversation with nobody else (422)', async () => {
    const a = t().userId('alone');
    const res = await t().call('POST', '/conversations', { token: await t().token(a), body: { participantIds: [a] } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unprocessable');
  });

  describe('conversation list pagination', () => {
    it('walks every conversation once, latest activity first, across pages of every size', async () => {
      const me = t().userId('pager');
      const api = t().server.api;
      const ids: string[] = [];
      for (let i = 0; i < 7; i++)
        ids.push((await api.createConversation({ createdBy: me, participantIds: [t().userId(`peer${i}`)] })).conversation.id);
      // Activity moves conversation 2 then 5 to the top.
      await api.sendMessage({ conversationId: ids[2]!, senderId: me, body: 'x' });
      await api.sendMessage({ conversationId: ids[5]!, senderId: me, body: 'y' });
      const expected = [ids[5], ids[2], ids[6], ids[4], ids[3], ids[1], ids[0]];
      const token = await t().token(me);
      for (const limit of [1, 2, 3, 7, 8, 100]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const query: string = `/conversations?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
          const res = await t().call('GET', query, { token });
          expect(res.status).toBe(200);
          seen.push(...res.body.conversations.map((c: { id: string }) => c.id));
          cursor = res.body.nextCursor;
          pages++;
        } while (cursor && pages < 20);
        expect(seen).toEqual(expected);
        expect(pages).toBe(Math.max(1, Math.ceil(7 / limit)));
      }
    });

    it('pages correctly through conversations created in the same millisecond', async () => {
      const me = t().userId('same-ms');
      const api = t().server.api;
      // One transaction per conversation but concurrent: activity times may tie to the millisecond.
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => api.createConversation({ createdBy: me, participantIds: [t().userId(`sm${i}`)] })),
      );
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.listConversations(me, { limit: 1, cursor });
        seen.push(...page.conversations.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(6);
      expect(new Set(seen).size).toBe(6);
    });

    it('shows the last message, unread count and own cursor in each entry', async () => {
      const [a, b] = [t().userId('entry-a'), t().userId('entry-b')];
      const api = t().server.api;
      const { conversation } = await api.createConversation({ createdBy: a, participantIds: [b] });
      await api.sendMessage({ conversationId: conversation.id, senderId: a, body: 'first' });
      await api.sendMessage({ conversationId: conversation.id, senderId: a, body: 'second' });
      const page = await api.listConversations(b);
      expect(page.conversations[0]).toMatchObject({
        id: conversation.id,
        lastSeq: 2,
        unreadCount: 2,
        lastReadSeq: 0,
        lastMessage: { body: 'second', seq: 2, senderId: a },
      });
      expect(page.nextCursor).toBeNull();
    });

    it('answers an empty list for a new user and 400 for a forged cursor', async () => {
      const token = await t().token(t().userId('newbie'));
      expect((await t().call('GET', '/conversations', { token })).body).toEqual({ conversations: [], nextCursor: null });
      const forged = await t().call('GET', '/conversations?cursor=not-a-cursor', { token });
      expect(forged.status).toBe(400);
      expect(forged.body.error.code).toBe('validation_failed');
    });
  });

  describe('message history pagination', () => {
    async function history(count: number) {
      const [a, b] = [t().userId(`hist${count}-a`), t().userId(`hist${count}-b`)];
      const { conversation } = await t().server.api.createConversation({ createdBy: a, participantIds: [b] });
      for (let i = 1; i <= count; i++)
        await t().server.api.sendMessage({ conversationId: conversation.id, senderId: i % 2 ? a : b, body: `m${i}` });
      const token = await t().token(b);
      const get = async (q: string) => {
        const res = await t().call('GET', `/conversations/${conversation.id}/messages${q}`, { token });
        expect(res.status).toBe(200);
        return { seqs: res.body.messages.map((m: { seq: number }) => m.seq) as number[], hasMore: res.body.hasMore as boolean };
      };
      return get;
    }

    it('returns the latest page, older pages with before, newer with after, always ascending', async () => {
      const get = await history(10);
      expect(await get('?limit=3')).toEqual({ seqs: [8, 9, 10], hasMore: true });
      expect(await get('?limit=3&before=8')).toEqual({ seqs: [5, 6, 7], hasMore: true });
      expect(await get('?limit=3&before=4')).toEqual({ seqs: [1, 2, 3], hasMore: false });
      expect(await get('?limit=3&before=1')).toEqual({ seqs: [], hasMore: false });
      expect(await get('?limit=4&after=0')).toEqual({ seqs: [1, 2, 3, 4], hasMore: true });
      expect(await get('?limit=3&after=7')).toEqual({ seqs: [8, 9, 10], hasMore: false });
      expect(await get('?after=10')).toEqual({ seqs: [], hasMore: false });
      expect(await get('?after=2&before=6')).toEqual({ seqs: [3, 4, 5], hasMore: false });
      expect(await get('?limit=2&after=2&before=6')).toEqual({ seqs: [3, 4], hasMore: true });
      expect(await get('?limit=10')).toEqual({ seqs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], hasMore: false });
      expect(await get('')).toEqual({ seqs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], hasMore: false });
    });

    it('answers an empty history for a conversation without messages', async () => {
      const get = await history(0);
      expect(await get('')).toEqual({ seqs: [], hasMore: false });
    });
  });
});

describe('list cursor', () => {
  it('round-trips and refuses anything else', () => {
    const cursor = { activityMicros: '1764120000123456', conversationId: randomUUID() };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(decodeCursor('')).toBeNull();
    expect(decodeCursor('abc$')).toBeNull();
    expect(decodeCursor(Buffer.from('12.not-a-uuid').toString('base64url'))).toBeNull();
  });
});
