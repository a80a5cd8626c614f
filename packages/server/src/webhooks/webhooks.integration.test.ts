import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ChatServer, createChatServer } from '../chat-server';
import { describeEachDatabase, useTestDatabase } from '../../test/kit/describe-each-database';
import { createRecordingBroadcaster, type RecordingBroadcaster } from '../../test/kit/recording-broadcaster';
import { TEST_SECRET } from '../../test/kit/test-server';
import { until } from '../../test/kit/until';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/kit/webhook-receiver';
import { generateWebhookSecret, verifyWebhook } from './signature';

const oldSecret = generateWebhookSecret();
const newSecret = generateWebhookSecret();
const events = (r: WebhookReceiver) => r.received.map((w) => JSON.parse(w.body) as { type: string; data: any });

describeEachDatabase('webhooks to the host backend', (target) => {
  const db = useTestDatabase(target);
  let chat: ChatServer;
  let broadcaster: RecordingBroadcaster;
  let all: WebhookReceiver;
  let reactions: WebhookReceiver;
  let flaky: WebhookReceiver;
  const run = Math.random().toString(36).slice(2, 8);
  const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((n) => `${n}-${run}`) as [string, string, string];

  beforeAll(async () => {
    [all, reactions, flaky] = await Promise.all([startWebhookReceiver(), startWebhookReceiver(), startWebhookReceiver()]);
    flaky.respond.status = 500;
    broadcaster = createRecordingBroadcaster();
    chat = createChatServer({
      database: db(),
      secret: TEST_SECRET,
      broadcaster,
      onError: () => {},
      webhooks: {
        endpoints: [
          { id: 'all', url: all.url, events: ['*'], secrets: [oldSecret, newSecret] },
          { id: 'reactions', url: reactions.url, events: ['reaction.updated'], secret: newSecret },
          { id: 'flaky', url: flaky.url, events: ['message.updated'], secret: newSecret },
        ],
        retryDelaysMs: [20, 20],
        pollMs: 25,
      },
    });
    await chat.ready;
  });
  afterAll(async () => {
    await chat?.close();
    await Promise.all([all, reactions, flaky].map((r) => r?.close()));
  });

  it('POSTs one signed delivery per event (not one per participant), verified by standardwebhooks with either secret', async () => {
    const { conversation } = await chat.api.createConversation({ createdBy: alice, participantIds: [bob, carol], title: 'Plans' });
    const { message } = await chat.api.sendMessage({ conversationId: conversation.id, senderId: alice, body: 'hello hooks' });
    const hook = await until('message.created at the endpoint', () => all.received.find((w) => w.body.includes('hello hooks')));
    for (const secret of [oldSecret, newSecret]) {
      const event = new Webhook(secret).verify(hook.body, hook.headers as Record<string, string>) as { type: string; data: any };
      expect(event).toMatchObject({
        type: 'message.created',
        data: { conversationId: conversation.id, seq: message.seq, message: { body: 'hello hooks' } },
      });
    }
    expect(verifyWebhook(hook.body, hook.headers, newSecret).type).toBe('message.created');
    expect(hook.headers['webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
    // Three participants, three outbox rows, one webhook.
    await until('conversation.created', () => events(all).some((e) => e.type === 'conversation.created'));
    expect(events(all).filter((e) => e.type === 'message.created')).toHaveLength(1);
    expect(events(all).find((e) => e.type === 'conversation.created')!.data).toMatchObject({
      conversationId: conversation.id,
      kind: 'group',
      createdBy: alice,
      participantIds: expect.arrayContaining([alice, bob, carol]),
    });
    const attempts = await until('the attempt logged', async () => {
      const log = await chat.webhooks.attempts(String(hook.headers['webhook-id']));
      return log.length > 0 && log;
    });
    expect(attempts).toEqual([expect.objectContaining({ status: 204, error: null, durationMs: expect.any(Number) })]);
  });

  it('sends only the events an endpoint names; host-only events never reach realtime clients', async () => {
    const { conversation } = await chat.api.createConversation({ createdBy: alice, participantIds: [bob] });
    const { message } = await chat.api.sendMessage({ conversationId: conversation.id, senderId: alice, body: 'react to me' });
    await chat.api.call('addReaction', bob, { conversationId: conversation.id, messageId: message.id, emoji: '👍' });
    await chat.api.markRead(bob, conversation.id);
    await until('reaction.updated', () => reactions.received.length >= 1);
    const read = await until('message.read', () =>
      events(all).find((e) => e.type === 'message.read' && e.data.conversationId === conversation.id),
    );
    expect(read.data).toEqual({ conversationId: conversation.id, userId: bob, lastReadSeq: message.seq });
    expect(events(reactions).map((e) => e.type)).toEqual(['reaction.updated']);
    expect(
      broadcaster.sent.some((s) => s.name === 'message.read' || s.name === 'conversation.created' || s.channel === 'banter-host'),
    ).toBe(false);
  });

  it("an outbox step (closing a removed participant's connections) is no webhook, not even for '*'", async () => {
    const { conversation } = await chat.api.createConversation({ createdBy: alice, participantIds: [bob, carol], title: 'Steps' });
    await chat.api.call('removeParticipant', alice, { conversationId: conversation.id, userId: carol });
    await until('participant.removed', () =>
      events(all).some((e) => e.type === 'participant.removed' && e.data.conversationId === conversation.id),
    );
    await until('the step taken', () => broadcaster.disconnected.includes(carol));
    const steps = await sql<{ n: number }>`select count(*)::int as n from webhook_deliveries where event like 'banter:%'`.execute(
      db().kysely,
    );
    expect(steps.rows[0]!.n).toBe(0);
    const written = await sql<{ n: number }>`select count(*)::int as n from outbox where event = 'banter:disconnect-user'`.execute(
      db().kysely,
    );
    expect(written.rows[0]!.n).toBeGreaterThan(0);
    expect(broadcaster.sent.some((s) => s.name.startsWith('banter:'))).toBe(false);
  });

  it('retries with backoff, then a dead letter; retry delivers it once the endpoint is back', async () => {
    const { conversation } = await chat.api.createConversation({ createdBy: alice, participantIds: [bob] });
    const { message } = await chat.api.sendMessage({ conversationId: conversation.id, senderId: alice, body: 'draft' });
    await chat.api.call('editMessage', alice, { conversationId: conversation.id, messageId: message.id, body: 'final' });
    const dead = await until('the dead letter', async () => (await chat.webhooks.failed()).find((d) => d.endpointId === 'flaky'), 20_000);
    expect(dead).toMatchObject({ event: 'message.updated', attempts: 3, lastStatus: 500, lastError: 'HTTP 500' });
    expect(flaky.received).toHaveLength(3);
    // The same webhook-id on every attempt: receivers deduplicate by it.
    expect(new Set(flaky.received.map((w) => w.headers['webhook-id']))).toEqual(new Set([dead.id]));
    const log = await chat.webhooks.attempts(dead.id);
    expect(log.map((a) => a.status)).toEqual([500, 500, 500]);

    flaky.respond.status = 200;
    await expect(chat.webhooks.retry({ id: 'nope' })).rejects.toThrow('invalid webhook delivery id');
    expect(await chat.webhooks.retry({ id: dead.id })).toBe(1);
    await until('the retried delivery', async () => (await chat.webhooks.attempts(dead.id)).at(-1)?.status === 200);
    expect(await chat.webhooks.failed()).toEqual([]);
    expect(await chat.webhooks.retry({ all: true })).toBe(0);
  });

  it('reports webhook metrics', async () => {
    const text = await chat.registry.metrics();
    expect(text).toMatch(/banter_webhook_attempt_duration_seconds_count\{endpoint="flaky",result="dead"\} 1/);
    expect(text).toMatch(/banter_webhook_attempt_duration_seconds_count\{endpoint="all",result="delivered"\} \d+/);
    expect(text).toContain('banter_webhook_pending');
  });

  it('erasing a user removes the webhook deliveries that carry their id (they copy message bodies)', async () => {
    const count = async () =>
      Number(
        (
          await sql<{ n: number }>`select count(*)::int as n from webhook_deliveries where payload::text like ${`%${carol}%`}`.execute(
            db().kysely,
          )
        ).rows[0]!.n,
      );
    const { conversation } = await chat.api.createConversation({ createdBy: carol, participantIds: [bob] });
    await chat.api.sendMessage({ conversationId: conversation.id, senderId: carol, body: 'forget me' });
    await until('carol in deliveries', async () => (await count()) > 0);
    await chat.api.eraseUser(carol);
    expect(await count()).toBe(0);
    expect((await chat.api.verifyErasure(carol)).rows).toEqual([]);
  });
});

describeEachDatabase('a slow webhook endpoint', (target) => {
  const db = useTestDatabase(target);
  let chat: ChatServer;
  let slow: WebhookReceiver;
  const broadcaster = createRecordingBroadcaster();
  beforeAll(async () => {
    slow = await startWebhookReceiver();
    slow.respond.delayMs = 3000;
    chat = createChatServer({
      database: db(),
      secret: TEST_SECRET,
      broadcaster,
      onError: () => {},
      webhooks: { endpoints: [{ url: slow.url, events: ['message.created'], secret: newSecret }], concurrency: 2, pollMs: 25 },
    });
    await chat.ready;
  });
  afterAll(async () => {
    await chat?.close();
    await slow?.close();
  });

  it('never delays chat events: messages reach realtime while its deliveries are still waiting', async () => {
    const run = Math.random().toString(36).slice(2, 8);
    const { conversation } = await chat.api.createConversation({ createdBy: `a-${run}`, participantIds: [`b-${run}`] });
    const started = Date.now();
    for (let i = 0; i < 6; i++) await chat.api.sendMessage({ conversationId: conversation.id, senderId: `a-${run}`, body: `m${i}` });
    await until('six messages broadcast', () => broadcaster.sent.filter((s) => s.name === 'message.created').length >= 12, 2500);
    expect(Date.now() - started).toBeLessThan(2500);
    // The endpoint holds two requests; nothing has been answered yet.
    await until('the endpoint to be called', () => slow.received.length >= 1);
    expect(slow.received.length).toBeLessThanOrEqual(2);
    expect((await chat.webhooks.attempts(String(slow.received[0]!.headers['webhook-id']))).length).toBe(0);
  });
});
