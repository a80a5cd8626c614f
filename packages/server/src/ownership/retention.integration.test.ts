import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

// Issue 20: retention deletes old messages in bounded batches, without blocking concurrent sends.
describeEachDatabase('retention', (target) => {
  const t = useTestServer(target, { rateLimits: false });
  let alice: string;
  let bob: string;
  let old: string;
  let kept: string;

  /** Backdate every message of a conversation by `days`. */
  const age = (conversationId: string, days: number) =>
    sql`update messages set created_at = created_at - make_interval(days => ${days}) where conversation_id = ${conversationId}::uuid`.execute(
      t().server.db.kysely,
    );

  beforeAll(async () => {
    [alice, bob] = [t().userId('rt-a'), t().userId('rt-b')];
    const api = t().server.api;
    old = (await api.createConversation({ createdBy: alice, participantIds: [bob], title: 'Old' })).conversation.id;
    kept = (await api.createConversation({ createdBy: alice, participantIds: [bob], title: 'Kept' })).conversation.id;
    for (let i = 0; i < 25; i++) await api.sendMessage({ conversationId: old, senderId: alice, body: `old ${i}` });
    for (let i = 0; i < 5; i++) await api.sendMessage({ conversationId: kept, senderId: alice, body: `kept ${i}` });
    await age(old, 40);
    await age(kept, 10);
  });

  it('deletes only what is past the app retention, in batches, while sends go on', async () => {
    const sends = Promise.all(
      Array.from({ length: 10 }, (_, i) => t().server.api.sendMessage({ conversationId: old, senderId: bob, body: `new ${i}` })),
    );
    const report = await t().server.api.applyRetention({ days: 30, batchSize: 7 });
    await sends;
    expect(report).toEqual({ deleted: 25, batches: 4, more: false });
    const page = await t().server.api.listMessages(bob, old, { limit: 100 });
    expect(page!.messages.map((m) => m.body).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `new ${i}`).sort());
    expect((await t().server.api.listMessages(bob, kept))!.messages).toHaveLength(5);
    // Bob had read nothing: his unread count is what is left from alice (none) — he sent the rest.
    const list = await t().server.api.listConversations(bob);
    expect(list.conversations.find((c) => c.id === old)!.unreadCount).toBe(0);
    expect(list.conversations.find((c) => c.id === kept)!.unreadCount).toBe(5);
  });

  it('stops at maxBatches and says more is due', async () => {
    await age(kept, 30);
    const first = await t().server.api.applyRetention({ days: 30, batchSize: 2, maxBatches: 1 });
    expect(first).toEqual({ deleted: 2, batches: 1, more: true });
    const rest = await t().server.api.applyRetention({ days: 30, batchSize: 2 });
    expect(rest.deleted).toBe(3);
  });

  it("a conversation's own retention applies without an app retention", async () => {
    const { conversation } = await t().server.api.createConversation({ createdBy: alice, participantIds: [bob], title: 'Short' });
    await t().server.api.sendMessage({ conversationId: conversation.id, senderId: alice, body: 'two days old' });
    await age(conversation.id, 2);
    await t().server.api.sendMessage({ conversationId: conversation.id, senderId: alice, body: 'fresh' });
    expect(await t().server.api.applyRetention({ days: null })).toMatchObject({ deleted: 0 });
    await t().server.api.setConversationRetention(conversation.id, 1);
    expect(await t().server.api.applyRetention({ days: null })).toMatchObject({ deleted: 1 });
    const page = await t().server.api.listMessages(bob, conversation.id);
    expect(page!.messages.map((m) => m.body)).toEqual(['fresh']);
    const list = await t().server.api.listConversations(bob);
    expect(list.conversations.find((c) => c.id === conversation.id)!.lastMessage?.body).toBe('fresh');
  });

  it('refuses bad settings with clear errors', async () => {
    await expect(t().server.api.setConversationRetention(old, 0)).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(t().server.api.setConversationRetention('00000000-0000-4000-8000-000000000000', 3)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(t().server.api.applyRetention({ batchSize: -1 })).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describeEachDatabase('user export', (target) => {
  const t = useTestServer(target, { rateLimits: false });

  it("returns the user's profile, conversations and every message they wrote, and nothing of others", async () => {
    const [alice, bob] = [t().userId('ex-a'), t().userId('ex-b')];
    await t().server.api.upsertUser({ id: alice, name: 'Alice' });
    const { conversation } = await t().server.api.createConversation({ createdBy: alice, participantIds: [bob] });
    await t().server.api.sendMessage({ conversationId: conversation.id, senderId: alice, body: 'mine' });
    await t().server.api.sendMessage({ conversationId: conversation.id, senderId: bob, body: 'not mine' });
    const data = await t().server.api.exportUser(alice);
    expect(data.format).toBe('banter.user-export/1');
    expect(data.user).toMatchObject({ id: alice, name: 'Alice' });
    expect(data.conversations).toHaveLength(1);
    expect(data.conversations[0]!.participantIds.sort()).toEqual([alice, bob].sort());
    expect(data.messages.map((m) => m.body)).toEqual(['mine']);
    expect(JSON.stringify(data)).not.toContain('not mine');
  });
});

describeEachDatabase('stable views for hosts', (target) => {
  const t = useTestServer(target, { rateLimits: false });

  it('v_messages hides deleted bodies; v_conversations counts participants', async () => {
    const [alice, bob] = [t().userId('vw-a'), t().userId('vw-b')];
    const { conversation } = await t().server.api.createConversation({ createdBy: alice, participantIds: [bob], title: 'Views' });
    const { message } = await t().server.api.sendMessage({ conversationId: conversation.id, senderId: alice, body: 'secret' });
    await sql`update messages set deleted_at = now() where id = ${message.id}::uuid`.execute(t().server.db.kysely);
    const schema = sql.id(t().server.db.schema);
    const messages = await sql<{ body: string }>`select body from ${schema}.v_messages where id = ${message.id}::uuid`.execute(
      t().server.db.kysely,
    );
    expect(messages.rows).toEqual([{ body: '' }]);
    const conversations = await sql<{ participant_count: number; title: string }>`
      select title, participant_count from ${schema}.v_conversations where id = ${conversation.id}::uuid`.execute(t().server.db.kysely);
    expect(conversations.rows).toEqual([{ title: 'Views', participant_count: 2 }]);
  });
});
