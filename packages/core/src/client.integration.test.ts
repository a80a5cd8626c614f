import { databaseTargets } from '@banter/server/testing';
import { describe, expect, it } from 'vitest';
import { type ChatStack, useChatStack } from '../test/chat-stack';
import type { Message } from './protocol/schemas';
import type { ChatClient, LocalMessage } from './types';
import { until } from '../../server/test/kit/until';

const confirmed = (client: ChatClient, conversationId: string) =>
  (client.store.getSnapshot().conversations[conversationId]?.messages ?? []).filter((m) => m.seq !== null);

const summary = (messages: (Message | LocalMessage)[]) => messages.map((m) => `${m.seq}:${m.id}:${m.body}`);

async function serverMessages(stack: ChatStack, userId: string, conversationId: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const page = await stack.chat.api.listMessages(userId, conversationId, { after: all.at(-1)?.seq ?? 0, limit: 100 });
    all.push(...page!.messages);
    if (!page!.hasMore) return all;
  }
}

for (const target of databaseTargets()) {
  describe(`client with the real server and relay (${target.name})`, () => {
    const stack = useChatStack(target);

    it('two clients chat: messages arrive once, in order, on both sides', async () => {
      const alice = await stack.connect('alice');
      // Bob's client is configured as an app would: URL and token only (pusher-js imported lazily).
      const bob = await stack.connect('bob', { realtime: undefined });
      const conversation = await alice.client.conversations.open({ with: bob.userId });
      await alice.client.messages.load(conversation.id);
      for (const body of ['hi bob', 'how are you?', 'see you']) alice.client.messages.send(conversation.id, body);
      // Bob has never seen this conversation: the first message makes his client fetch it.
      await until('bob to get 3 messages', () => confirmed(bob.client, conversation.id).length === 3);
      bob.client.messages.send(conversation.id, 'hello alice');
      await until('alice to get the reply', () => confirmed(alice.client, conversation.id).length === 4);
      await until('bob to get his own copy', () => confirmed(bob.client, conversation.id).length === 4);

      const truth = await serverMessages(stack, alice.userId, conversation.id);
      expect(truth.map((m) => m.body)).toEqual(['hi bob', 'how are you?', 'see you', 'hello alice']);
      expect(summary(confirmed(alice.client, conversation.id))).toEqual(summary(truth));
      expect(summary(confirmed(bob.client, conversation.id))).toEqual(summary(truth));
      // No pending copy left behind on the sender's side.
      expect(alice.client.store.getSnapshot().conversations[conversation.id]!.messages).toHaveLength(4);
      const bobList = bob.client.store.getSnapshot().conversations[conversation.id]!;
      expect(bobList.conversation.unreadCount).toBe(3);
      expect(bobList.lastMessage?.body).toBe('hello alice');
    }, 60_000);

    it('read receipts flow back to the sender', async () => {
      const alice = await stack.connect('alice-r');
      const bob = await stack.connect('bob-r');
      const conversation = await alice.client.conversations.open({ with: bob.userId });
      await alice.client.messages.load(conversation.id);
      alice.client.messages.send(conversation.id, 'did you read this?');
      await until('bob to get it', () => confirmed(bob.client, conversation.id).length === 1);
      expect(confirmed(alice.client, conversation.id)[0]!.status).toBe('sent');
      const receipts: number[] = [];
      alice.client.on('read', (event) => receipts.push(event.lastReadSeq));

      // Bob opens the conversation: while it is active (and visible) arriving messages are read.
      bob.client.setActiveConversation(conversation.id);
      await bob.client.messages.load(conversation.id);
      await until('alice to see it read', () => confirmed(alice.client, conversation.id)[0]!.status === 'read');
      expect(receipts).toEqual([1]);
      expect(bob.client.store.getSnapshot().conversations[conversation.id]!.conversation.unreadCount).toBe(0);

      alice.client.messages.send(conversation.id, 'and this one?');
      await until('the second read receipt', () => confirmed(alice.client, conversation.id)[1]?.status === 'read');
      const state = alice.client.store.getSnapshot().conversations[conversation.id]!;
      expect(state.conversation.participants.find((p) => p.user.id === bob.userId)!.lastReadSeq).toBe(2);
    }, 60_000);

    it('presence and typing travel over the relay; an expired token is refreshed through getToken', async () => {
      const alice = await stack.connect('alice-p');
      const bobId = stack.userId('bob-p');
      let refreshes = 0;
      const bob = await stack.connect('bob-p', {
        token: await stack.chat.api.createUserToken(bobId, { expiresIn: -60 }),
        getToken: () => (refreshes++, stack.token(bobId)),
      });
      expect(refreshes).toBe(1);
      expect(bob.client.me?.id).toBe(bobId);
      const conversation = await alice.client.conversations.open({ with: bob.userId });
      await bob.client.conversations.get(conversation.id);
      alice.client.setActiveConversation(conversation.id);
      bob.client.setActiveConversation(conversation.id);
      const state = (c: ChatClient) => c.store.getSnapshot().conversations[conversation.id]!;
      await until('both online', () => state(alice.client).online.length === 2 && state(bob.client).online.length === 2);
      expect(state(alice.client).online).toEqual([alice.userId, bob.userId].sort());

      alice.client.typing(conversation.id);
      await until('bob to see alice typing', () => state(bob.client).typing.includes(alice.userId));
      expect(state(alice.client).typing).toEqual([]);
      bob.client.setActiveConversation(null);
      await until('alice to see bob leave', () => state(alice.client).online.length === 1);
    }, 60_000);

    it("an offline client's queued sends arrive in order when it reconnects", async () => {
      let offline = false;
      const alice = await stack.connect('alice-o', {
        fetch: (input, init) => (offline ? Promise.reject(new TypeError('fetch failed: offline')) : fetch(input, init)),
      });
      const bob = await stack.connect('bob-o');
      const conversation = await alice.client.conversations.open({ with: bob.userId });
      await alice.client.messages.load(conversation.id);

      offline = true;
      alice.pusher().disconnect();
      await until('alice offline', () => alice.client.connection.state === 'offline');
      const bodies = Array.from({ length: 5 }, (_, i) => `queued ${i + 1}`);
      for (const body of bodies) alice.client.messages.send(conversation.id, body);
      await new Promise((r) => setTimeout(r, 200));
      expect(alice.client.store.getSnapshot().conversations[conversation.id]!.messages.map((m) => m.status)).toEqual(
        bodies.map(() => 'sending'),
      );
      expect(await serverMessages(stack, bob.userId, conversation.id)).toEqual([]);

      offline = false;
      alice.pusher().connect();
      await until('bob to get the queued messages', () => confirmed(bob.client, conversation.id).length === 5);
      await until('alice confirmed all', () => confirmed(alice.client, conversation.id).length === 5);
      const truth = await serverMessages(stack, bob.userId, conversation.id);
      expect(truth.map((m) => m.body)).toEqual(bodies);
      expect(summary(confirmed(bob.client, conversation.id))).toEqual(summary(truth));
      expect(summary(confirmed(alice.client, conversation.id))).toEqual(summary(truth));
    }, 60_000);

    it('what was said while the relay was down arrives after the reconnection (catch-up)', async () => {
      const alice = await stack.connect('alice-d');
      const bob = await stack.connect('bob-d');
      const conversation = await alice.client.conversations.open({ with: bob.userId });
      await alice.client.messages.load(conversation.id);
      bob.client.messages.send(conversation.id, 'before');
      await until('alice to get the first', () => confirmed(alice.client, conversation.id).length === 1);

      await stack.stopRelay();
      await until('alice to notice', () => alice.client.connection.state !== 'connected');
      for (const body of ['while', 'the relay', 'was down']) bob.client.messages.send(conversation.id, body);
      await until('bob to have sent', () => confirmed(bob.client, conversation.id).length === 4);
      stack.startRelay();

      // No later message reveals the gap: only the reconnection's catch-up can fill it.
      await until('alice to catch up', () => confirmed(alice.client, conversation.id).length === 4, 30_000);
      const truth = await serverMessages(stack, alice.userId, conversation.id);
      expect(summary(confirmed(alice.client, conversation.id))).toEqual(summary(truth));
      expect(alice.client.store.getSnapshot().conversations[conversation.id]!.conversation.unreadCount).toBe(4);
    }, 60_000);

    it('a relay restart during a burst of 200 messages loses nothing and doubles nothing', async () => {
      const alice = await stack.connect('alice-b');
      const bob = await stack.connect('bob-b');
      const conversation = await alice.client.conversations.open({ with: bob.userId });
      await alice.client.messages.load(conversation.id);
      await bob.client.conversations.get(conversation.id);
      await bob.client.messages.load(conversation.id);
      const seen = new Map<string, number>();
      bob.client.on('message', ({ message }) => seen.set(message.id, (seen.get(message.id) ?? 0) + 1));

      for (let i = 1; i <= 200; i++) {
        // Both sides write, so each client also receives messages it did not send.
        if (i % 10 === 0) bob.client.messages.send(conversation.id, `bob ${i}`);
        else alice.client.messages.send(conversation.id, `alice ${i}`);
      }
      await until('the burst to be halfway', () => confirmed(alice.client, conversation.id).length >= 60);
      const restartAt = Date.now();
      const atRestart = confirmed(alice.client, conversation.id).length;
      await stack.restartRelay();
      await until('alice to notice', () => alice.client.connection.history.some((h) => h.at >= restartAt && h.state !== 'connected'));
      await until(
        'both to reconnect',
        () => alice.client.connection.state === 'connected' && bob.client.connection.state === 'connected',
        30_000,
      );

      const done = (c: ChatClient) =>
        confirmed(c, conversation.id).length === 200 && c.store.getSnapshot().conversations[conversation.id]!.messages.length === 200;
      await until('both to hold 200 messages', () => done(alice.client) && done(bob.client), 60_000);
      const truth = await serverMessages(stack, alice.userId, conversation.id);
      expect(atRestart).toBeLessThan(200); // the restart was mid-burst
      expect(truth).toHaveLength(200);
      expect(truth.map((m) => m.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(summary(confirmed(alice.client, conversation.id))).toEqual(summary(truth));
      expect(summary(confirmed(bob.client, conversation.id))).toEqual(summary(truth));
      // Each sender's messages kept their send order.
      const aliceBodies = truth.filter((m) => m.senderId === alice.userId).map((m) => Number(m.body.split(' ')[1]));
      expect(aliceBodies).toEqual([...aliceBodies].sort((a, b) => a - b));
      // The 'message' event fired once per message, never twice.
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
    }, 120_000);
  });
}
