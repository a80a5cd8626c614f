import { randomUUID } from 'node:crypto';
import { EVENTS, userChannel } from '@banter/core/protocol';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ChatServer, createChatServer } from '../chat-server';
import type { BroadcastEvent, Broadcaster } from '../realtime/broadcaster';
import { pusherBroadcaster } from '../realtime/pusher-broadcaster';
import { relayBroadcaster } from '../realtime/relay-broadcaster';
import { createRelay } from '../relay/create-relay';
import type { Relay } from '../relay/types';
import { describeEachDatabase, useTestDatabase } from '../../test/kit/describe-each-database';
import { TEST_SECRET } from '../../test/kit/test-server';
import { enqueueEvents } from './enqueue';
import { listFailedEvents } from './failed-events';
import { until } from '../../test/kit/until';

const APP = { id: 'big-app', key: 'big-key', secret: 'big-secret' };

/** The real broadcaster, recording only what the relay accepted. */
function recording(inner: Broadcaster) {
  const accepted: BroadcastEvent[] = [];
  const broadcaster: Broadcaster = {
    ...inner,
    async triggerBatch(events) {
      await inner.triggerBatch(events);
      accepted.push(...events);
    },
  };
  return { broadcaster, accepted };
}

// Issue 22 finding 1: one user halted real time for every conversation with events over 10 KB.
// A long backoff base: an outage pause, or a conversation held behind a retry, would show as a miss.
// The sweep's own decisions (no fast path, which leaves every failure to the sweep anyway).
const SLOW_RETRY = { backoffBaseMs: 60_000, backoffCapMs: 60_000, pollIntervalMs: 60_000, fastPath: false };

describeEachDatabase('events over the realtime limit (issue 22)', (target) => {
  const db = useTestDatabase(target);
  let relay: Relay;
  beforeAll(() => {
    relay = createRelay({ apps: [APP] });
  });
  afterAll(async () => {
    await relay?.close();
  });

  async function withChat(broadcaster: Broadcaster, run: (chat: ChatServer) => Promise<void>) {
    const chat = createChatServer({
      database: db(),
      secret: TEST_SECRET,
      migrate: false,
      broadcaster,
      dispatcher: SLOW_RETRY,
      onError: () => {},
    });
    try {
      await run(chat);
    } finally {
      await chat.close();
    }
  }

  /** Sends one message in a fresh two-person conversation; resolves when its receiver got it. */
  async function unrelatedDelivered(chat: ChatServer, accepted: BroadcastEvent[]) {
    const run = randomUUID().slice(0, 8);
    const { conversation } = await chat.api.createConversation({ createdBy: `u1-${run}`, participantIds: [`u2-${run}`] });
    const started = Date.now();
    await chat.api.sendMessage({ conversationId: conversation.id, senderId: `u1-${run}`, body: 'still here' });
    await until(
      'the unrelated message',
      () => accepted.some((e) => e.channel === userChannel(`u2-${run}`) && e.name === EVENTS.messageCreated),
      10_000,
    );
    return Date.now() - started;
  }

  it('groups of 99, a group of 60 with long avatar URLs and a 4,000-character message of 3-byte characters: every event fits and arrives', async () => {
    const { broadcaster, accepted } = recording(relayBroadcaster(relay));
    await withChat(broadcaster, async (chat) => {
      const run = randomUUID().slice(0, 8);
      const ids = (n: number, label: string) => Array.from({ length: n }, (_, i) => `${label}-${run}-${i}`);
      const groups = [];
      for (let g = 0; g < 3; g++)
        groups.push((await chat.api.createConversation({ createdBy: `owner-${run}`, participantIds: ids(98, `g${g}`) })).conversation);
      const members = ids(59, 'avatar');
      for (const id of members)
        await chat.api.upsertUser({ id, name: `Member ${id}`, avatarUrl: `https://cdn.example.com/avatars/${id}/${'a'.repeat(150)}.png` });
      const avatars = (await chat.api.createConversation({ createdBy: `owner-${run}`, participantIds: members, title: 'avatars' }))
        .conversation;
      const { conversation: pair } = await chat.api.createConversation({ createdBy: `a-${run}`, participantIds: [`b-${run}`] });
      await chat.api.sendMessage({ conversationId: pair.id, senderId: `a-${run}`, body: '€'.repeat(4000) });
      await chat.api.markRead(`b-${run}`, pair.id);
      await chat.api.sendMessage({ conversationId: pair.id, senderId: `a-${run}`, body: 'after the long one' });

      // An outage pause or a retry would be 30-60 s here (SLOW_RETRY).
      expect(await unrelatedDelivered(chat, accepted)).toBeLessThan(10_000);
      await chat.dispatcher!.flush();
      const mine = (conversationId: string) =>
        accepted.filter((e) => (e.data as { conversationId?: string }).conversationId === conversationId);
      for (const group of groups) {
        const updated = mine(group.id).filter((e) => e.name === EVENTS.conversationUpdated);
        expect(updated).toHaveLength(99);
        // Too large with 99 participants: the event names the conversation; the client fetches it.
        expect(updated[0]!.data).toEqual({ conversationId: group.id });
      }
      expect(mine(avatars.id).filter((e) => e.name === EVENTS.conversationUpdated)).toHaveLength(60);
      const pairEvents = mine(pair.id)
        .filter((e) => e.channel === userChannel(`b-${run}`))
        .map((e) => e.name);
      expect(pairEvents).toEqual([EVENTS.conversationUpdated, EVENTS.messageCreated, EVENTS.conversationUpdated, EVENTS.messageCreated]);
      for (const e of accepted) expect(Buffer.byteLength(JSON.stringify(e.data))).toBeLessThanOrEqual(9000);
      expect(chat.dispatcher!.stats()).toMatchObject({ failedAttempts: 0, deadLetters: 0 });
    });
  });

  // A service with a lower limit than Pusher's: the refusal comes from the relay (in process, or its
  // HTTP API answering 413); above 10 KB the dispatcher itself refuses to send it.
  const cases = [
    { via: 'the relay in process', bytes: 6000, error: /over 4096 bytes/ },
    { via: 'the relay over HTTP (pusher SDK)', bytes: 6000, error: /HTTP 413/ },
    { via: 'the dispatcher (over 10 KB)', bytes: 12_000, error: /over the 10240-byte limit/ },
  ];
  for (const { via, bytes, error } of cases) {
    it(`an event refused as too large by ${via} is dead at once; its conversation and the others go on`, async () => {
      const small = createRelay({ apps: [APP], limits: { maxEventDataBytes: 4096 } });
      const { port: smallPort } = await small.listen(0, '127.0.0.1');
      const inner = via.includes('HTTP')
        ? pusherBroadcaster({ appId: APP.id, key: APP.key, secret: APP.secret, host: '127.0.0.1', port: smallPort, useTLS: false })
        : relayBroadcaster(small);
      const { broadcaster, accepted } = recording(inner);
      try {
        await withChat(broadcaster, async (chat) => {
          const run = randomUUID().slice(0, 8);
          const { conversation } = await chat.api.createConversation({ createdBy: `x-${run}`, participantIds: [`y-${run}`] });
          await chat.dispatcher!.flush();
          const payload = { conversationId: conversation.id, note: 'x'.repeat(bytes) };
          await db()
            .kysely.transaction()
            .execute((trx) =>
              enqueueEvents(
                trx,
                [{ conversationId: conversation.id, channel: userChannel(`y-${run}`), event: 'test.big', payload }],
                db().dialect,
              ),
            );
          await chat.api.sendMessage({ conversationId: conversation.id, senderId: `x-${run}`, body: 'behind the big one' });
          await until(
            'the message after the refused event',
            () => accepted.some((e) => e.name === EVENTS.messageCreated && e.channel === userChannel(`y-${run}`)),
            10_000,
          );
          expect(await unrelatedDelivered(chat, accepted)).toBeLessThan(10_000);
          const dead = (await listFailedEvents(db(), { limit: 1000 })).filter((e) => e.conversationId === conversation.id);
          expect(dead).toHaveLength(1);
          expect(dead[0]).toMatchObject({ event: 'test.big', attempts: 1 });
          expect(dead[0]!.lastError).toMatch(error);
          expect(chat.dispatcher!.stats()).toMatchObject({ deadLetters: 1, failedAttempts: 1 });
        });
      } finally {
        await small.close();
      }
    });
  }
});
