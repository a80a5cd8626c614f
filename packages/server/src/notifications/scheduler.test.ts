import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';
import type { NotificationDue } from './scheduler';

const SECRET = `whsec_${Buffer.from('notifications-test-secret-0123456789').toString('base64')}`;
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

describeEachDatabase('notifications: the scheduler', (target) => {
  // Host events become webhook deliveries; the endpoint refuses connections and retries in an hour.
  const t = useTestServer(target, {
    rateLimits: false,
    webhooks: { endpoints: [{ url: 'http://127.0.0.1:1/hooks', events: ['notification.due'], secret: SECRET }], retryDelaysMs: [3600e3] },
  });
  let alice: string;
  let bob: string;
  let carol: string;
  const send = (from: string, conversationId: string, body = 'hi') =>
    t().server.api.sendMessage({ senderId: from, conversationId, clientId: randomUUID(), body });
  const due = async (userId: string): Promise<NotificationDue[]> => {
    const { rows } = await sql<{ payload: NotificationDue }>`
      select payload from webhook_deliveries where event = 'notification.due' order by created_at, id`.execute(t().server.db.kysely);
    return rows.map((r) => r.payload).filter((p) => p.userId === userId);
  };

  beforeAll(async () => {
    [alice, bob, carol] = [t().userId('nt-a'), t().userId('nt-b'), t().userId('nt-c')];
  });

  it('emits one notification per batch after the delay, nothing again, and a new batch only for later messages', async () => {
    const { id } = (await t().server.api.createConversation({ createdBy: alice, participantIds: [bob] })).conversation;
    await send(bob, id, 'one');
    await send(bob, id, 'two');
    await send(bob, id, 'three <b>x</b>');
    await send(alice, id, 'alice talks first');
    await send(bob, id, 'four');
    await send(bob, id, 'five');
    await send(bob, id, 'six');
    expect(await t().server.notifications.runDue(minutes(4))).toBe(0);
    expect(await t().server.notifications.runDue(minutes(6))).toBe(1);
    // Alice sent after three: only four..six wait for her; bob has nothing unread from others.
    const [first, ...none] = await due(alice);
    expect(none).toEqual([]);
    expect(first).toMatchObject({ userId: alice, conversationId: id, unreadCount: 3, firstUnreadSeq: 5, lastSeq: 7 });
    expect(first!.previews.map((p) => [p.seq, p.senderId, p.body])).toEqual([
      [5, bob, 'four'],
      [6, bob, 'five'],
      [7, bob, 'six'],
    ]);
    expect(await due(bob)).toEqual([]);
    expect(await t().server.notifications.runDue(minutes(60))).toBe(0);

    await send(bob, id, 'seven');
    expect(await t().server.notifications.runDue(minutes(20))).toBe(1);
    const batches = await due(alice);
    expect(batches).toHaveLength(2);
    expect(batches[1]).toMatchObject({ unreadCount: 4, firstUnreadSeq: 8, lastSeq: 8 });
    expect(batches[1]!.previews.map((p) => p.body)).toEqual(['seven']);
  });

  it('nothing for a reader, a muted conversation or a blocked sender; a user setting delays it', async () => {
    const [reader, muter, blocker, patient] = ['nt-r', 'nt-m', 'nt-k', 'nt-p'].map((n) => t().userId(n)) as [
      string,
      string,
      string,
      string,
    ];
    const { id } = (
      await t().server.api.createConversation({ createdBy: carol, participantIds: [reader, muter, blocker, patient], title: 'g' })
    ).conversation;
    await t().server.api.call('muteConversation', muter, { conversationId: id });
    await t().server.api.call('blockUser', blocker, { userId: carol });
    await t().server.db.kysely.insertInto('notification_settings').values({ user_id: patient, delay_minutes: 30 }).execute();
    await send(carol, id, 'hello all');
    await t().server.api.markRead(reader, id);
    await t().server.notifications.runDue(minutes(6));
    for (const user of [reader, muter, blocker, patient, carol]) expect(await due(user)).toEqual([]);
    await t().server.notifications.runDue(minutes(31));
    expect((await due(patient)).map((d) => d.unreadCount)).toEqual([1]);
  });

  it('instances polling at once emit each batch once (claims skip locked rows)', async () => {
    const users = Array.from({ length: 6 }, (_, i) => t().userId(`nt-x${i}`));
    const { id } = (await t().server.api.createConversation({ createdBy: carol, participantIds: users, title: 'many' })).conversation;
    await send(carol, id, 'everyone');
    const counts = await Promise.all([1, 2, 3].map(() => t().server.notifications.runDue(minutes(6))));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(users.length);
    for (const user of users) expect(await due(user)).toHaveLength(1);
  });
});
