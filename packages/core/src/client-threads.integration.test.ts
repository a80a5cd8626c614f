import { databaseTargets } from '@banter/server/testing';
import { describe, expect, it } from 'vitest';
import { useChatStack } from '../test/chat-stack';
import { until } from '../../server/test/kit/until';
import type { Message } from './protocol/schemas';
import type { ChatClient } from './types';

const thread = (client: ChatClient, rootId: string) => client.store.getSnapshot().threads?.[rootId];

for (const target of databaseTargets()) {
  describe(`thread pages, pins and versions between two clients (${target.name})`, () => {
    const stack = useChatStack(target);

    // Straight through the server's operations (as the HTTP route would), to set a thread up quickly.
    const say = async (userId: string, id: string, body: string, threadId?: string) =>
      (
        (await stack.chat.api.call('sendMessage', userId, { conversationId: id, clientId: crypto.randomUUID(), body, threadId })) as {
          message: Message;
        }
      ).message;

    it('loadThread pages replies into state.threads; live replies, edits, deletions and the root count follow', async () => {
      const alice = await stack.connect('alice');
      const bob = await stack.connect('bob');
      const { id } = await alice.client.conversations.open({ with: bob.userId });
      await bob.client.conversations.get(id);
      const root = await say(alice.userId, id, 'the root');
      for (let i = 1; i <= 3; i++) {
        await say(bob.userId, id, `reply ${i}`, root.id);
      }

      const page = await alice.client.messages.loadThread(id, root.id, { limit: 2 });
      expect(page.messages.map((m) => m.body)).toEqual(['reply 2', 'reply 3']);
      expect(thread(alice.client, root.id)).toMatchObject({
        conversationId: id,
        hasOlder: true,
        loading: false,
        root: { id: root.id, replyCount: 3 },
      });
      const first = thread(alice.client, root.id)!.messages[0]!.seq!;
      await alice.client.messages.loadThread(id, root.id, { before: first, limit: 2 });
      expect(thread(alice.client, root.id)!.messages.map((m) => m.body)).toEqual(['reply 1', 'reply 2', 'reply 3']);
      expect(thread(alice.client, root.id)!.hasOlder).toBe(false);

      // Bob's reply arrives live (once), and thread.updated raises the root's count.
      bob.client.messages.send(id, { body: 'reply 4', threadId: root.id, showInChannel: true });
      await until('alice to get reply 4 in the thread', () => thread(alice.client, root.id)?.messages.length === 4);
      await until('the root to count 4', () => thread(alice.client, root.id)?.root?.replyCount === 4);
      // Her own reply joins once confirmed.
      alice.client.messages.send(id, { body: 'reply 5', threadId: root.id });
      await until('her own reply in the thread', () => thread(alice.client, root.id)?.messages.some((m) => m.body === 'reply 5'));
      expect(thread(alice.client, root.id)!.messages.map((m) => m.body)).toEqual(['reply 1', 'reply 2', 'reply 3', 'reply 4', 'reply 5']);

      // An edit and a deletion of replies reach the loaded thread.
      await bob.client.messages.loadThread(id, root.id);
      const [one, two] = thread(bob.client, root.id)!.messages;
      await bob.client.messages.edit(id, one!.id!, 'reply 1, edited');
      expect(thread(bob.client, root.id)!.messages[0]).toMatchObject({ body: 'reply 1, edited' });
      await until('alice to see the edit in the thread', () => thread(alice.client, root.id)?.messages[0]?.body === 'reply 1, edited');
      await bob.client.messages.delete(id, two!.id!);
      await until('alice to see the deletion in the thread', () => thread(alice.client, root.id)?.messages[1]?.deletedAt != null);
      expect(thread(alice.client, root.id)!.messages[1]!.body).toBe('');

      // Not a message of this conversation: 404, the thread's loading flag back to false.
      await expect(alice.client.messages.loadThread(id, crypto.randomUUID())).rejects.toMatchObject({ code: 'not_found' });
    }, 30_000);

    it('pin, pins, unpin and versions', async () => {
      const alice = await stack.connect('alice2');
      const bob = await stack.connect('bob2');
      const { id } = await alice.client.conversations.open({ with: bob.userId });
      await alice.client.messages.load(id);
      const sent = await say(alice.userId, id, 'v1');
      await until('alice to have it', () => alice.client.store.getSnapshot().conversations[id]!.messages.some((m) => m.id === sent.id));
      await alice.client.messages.edit(id, sent.id, 'v2');
      expect((await alice.client.messages.versions(id, sent.id)).map((v) => v.body)).toEqual(['v1', 'v2']);

      const pinned = await alice.client.messages.pin(id, sent.id);
      expect(pinned.pinnedAt).toBeTruthy();
      expect(alice.client.store.getSnapshot().conversations[id]!.messages.find((m) => m.id === sent.id)?.pinnedAt).toBe(pinned.pinnedAt);
      expect((await bob.client.messages.pins(id)).map((m) => m.id)).toEqual([sent.id]);
      await bob.client.messages.unpin(id, sent.id);
      expect(await alice.client.messages.pins(id)).toEqual([]);
      await expect(bob.client.messages.versions(id, crypto.randomUUID())).rejects.toMatchObject({ code: 'not_found' });
    }, 30_000);
  });
}
