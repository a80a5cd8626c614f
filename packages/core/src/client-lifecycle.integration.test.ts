import { databaseTargets } from '@banter/server/testing';
import { describe, expect, it } from 'vitest';
import { useChatStack } from '../test/chat-stack';
import { until } from '../../server/test/kit/until';
import type { ChatClient, LocalMessage } from './types';

const find = (client: ChatClient, conversationId: string, messageId: string): LocalMessage | undefined =>
  client.store.getSnapshot().conversations[conversationId]?.messages.find((m) => m.id === messageId);

for (const target of databaseTargets()) {
  describe(`edits, deletes, reactions and replies between two clients (${target.name})`, () => {
    const stack = useChatStack(target);

    it('edits, deletions and reactions made while B was offline show once B is back', async () => {
      const alice = await stack.connect('alice-away');
      const bob = await stack.connect('bob-away');
      const { id } = await alice.client.conversations.open({ with: bob.userId });
      for (const body of ['one', 'two', 'three']) await alice.client.messages.send(id, body);
      await bob.client.conversations.get(id);
      await bob.client.messages.load(id);
      await until('bob to have all three', () => bob.client.store.getSnapshot().conversations[id]?.messages.length === 3);
      const [one, two, three] = bob.client.store.getSnapshot().conversations[id]!.messages.map((m) => m.id!);

      bob.pusher().disconnect();
      await until('bob offline', () => bob.client.connection.state === 'offline');
      await alice.client.messages.edit(id, one!, 'one, edited');
      await alice.client.messages.delete(id, two!);
      await alice.client.messages.toggleReaction(id, three!, '🎉');
      await alice.client.messages.send(id, 'four');
      await new Promise((r) => setTimeout(r, 300));
      expect(find(bob.client, id, one!)?.body).toBe('one');

      bob.pusher().connect();
      await until('bob to catch up', () => bob.client.store.getSnapshot().conversations[id]?.messages.length === 4);
      await until('bob to see the edit', () => find(bob.client, id, one!)?.body === 'one, edited');
      expect(find(bob.client, id, one!)?.editedAt).not.toBeNull();
      expect(find(bob.client, id, two!)).toMatchObject({ body: '', deletedAt: expect.any(String) });
      expect(find(bob.client, id, three!)?.reactions).toEqual([{ emoji: '🎉', count: 1, reactedByMe: false, userIds: [alice.userId] }]);
      expect(bob.client.store.getSnapshot().conversations[id]!.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    }, 60_000);

    it('B reacts, A edits, B replies quoting A and in a thread, A deletes: both stores follow, once each', async () => {
      const alice = await stack.connect('alice');
      const bob = await stack.connect('bob');
      const { id } = await alice.client.conversations.open({ with: bob.userId });
      await alice.client.messages.load(id);
      await bob.client.conversations.get(id);
      await bob.client.messages.load(id);
      alice.client.messages.send(id, 'hello bob');
      await until('bob to get it', () => bob.client.store.getSnapshot().conversations[id]?.messages.some((m) => m.seq === 1));
      const original = bob.client.store.getSnapshot().conversations[id]!.messages[0]!;
      const mid = original.id!;

      await bob.client.messages.toggleReaction(id, mid, '👍');
      expect(find(bob.client, id, mid)?.reactions).toEqual([{ emoji: '👍', count: 1, reactedByMe: true, userIds: [bob.userId] }]);
      await until('alice to see the reaction', () => find(alice.client, id, mid)?.reactions?.[0]?.count === 1);
      expect(find(alice.client, id, mid)?.reactions).toEqual([{ emoji: '👍', count: 1, reactedByMe: false, userIds: [bob.userId] }]);

      await alice.client.messages.edit(id, mid, 'hello Bob!');
      await until('bob to see the edit', () => find(bob.client, id, mid)?.body === 'hello Bob!');
      expect(find(bob.client, id, mid)?.editedAt).not.toBeNull();
      // The reaction survives the edit (the event's message carries none).
      expect(find(bob.client, id, mid)?.reactions?.[0]?.count).toBe(1);

      // Not his message: refused, rolled back, and the promise says why.
      await expect(bob.client.messages.edit(id, mid, 'mine now')).rejects.toMatchObject({ code: 'forbidden' });
      expect(find(bob.client, id, mid)?.body).toBe('hello Bob!');

      bob.client.messages.send(id, { body: 'quoting you', replyTo: mid, mentions: [alice.userId] });
      bob.client.messages.send(id, { body: 'in the thread', threadId: mid });
      await until('alice to get the reply and the thread count', () => {
        const messages = alice.client.store.getSnapshot().conversations[id]!.messages;
        return messages.length === 3 && find(alice.client, id, mid)?.replyCount === 1;
      });
      const [, quoting, threaded] = alice.client.store.getSnapshot().conversations[id]!.messages;
      expect(quoting).toMatchObject({ body: 'quoting you', replyTo: { id: mid, body: 'hello Bob!' }, mentions: [alice.userId] });
      expect(threaded).toMatchObject({ threadId: mid, showInChannel: false });
      await until('bob to see the thread count', () => find(bob.client, id, mid)?.replyCount === 1);
      const own = bob.client.store.getSnapshot().conversations[id]!.messages.find((m) => m.body === 'quoting you');
      expect(own).toMatchObject({ replyTo: { id: mid, body: 'hello Bob!' }, mentions: [alice.userId], status: 'sent' });

      await alice.client.messages.delete(id, mid);
      expect(find(alice.client, id, mid)).toMatchObject({ body: '', reactions: undefined });
      await until('bob to see it deleted', () => find(bob.client, id, mid)?.deletedAt != null);
      expect(find(bob.client, id, mid)).toMatchObject({ body: '', reactions: undefined });
      const quote = bob.client.store.getSnapshot().conversations[id]!.messages.find((m) => m.body === 'quoting you')!.replyTo;
      expect(quote).toMatchObject({ id: mid, body: '' });
      expect(quote?.deletedAt).not.toBeNull();
      // A deleted message takes no reaction: refused and rolled back.
      await expect(bob.client.messages.toggleReaction(id, mid, '🎉')).rejects.toMatchObject({ code: 'conflict' });
      expect(find(bob.client, id, mid)?.reactions).toBeUndefined();

      // Each store ends as the server says.
      const truth = (await stack.chat.api.listMessages(bob.userId, id, { after: 0, limit: 10 }))!.messages;
      for (const m of truth) {
        expect(find(bob.client, id, m.id)).toMatchObject({ body: m.body, deletedAt: m.deletedAt, editedAt: m.editedAt });
        expect(find(alice.client, id, m.id)).toMatchObject({ body: m.body, deletedAt: m.deletedAt, editedAt: m.editedAt });
      }
    }, 30_000);
  });
}
