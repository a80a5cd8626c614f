import { databaseTargets } from '@banter/server/testing';
import { describe, expect, it } from 'vitest';
import { useChatStack } from '../test/chat-stack';
import { until } from '../../server/test/kit/until';
import { memoryStorage, type ChatStorage } from './storage';
import type { ChatClient } from './types';

/*
 * Issue 14: edits, deletes and reactions made offline have the send queue's guarantees on the real
 * server: shown at once, sent once the client is back (or after a reload), exactly once.
 */
for (const target of databaseTargets()) {
  describe(`message changes made offline (${target.name})`, () => {
    const stack = useChatStack(target);

    /** `name`'s client (stack.connect) whose network can be cut (fetch fails, the socket drops); it logs its message changes. */
    async function connect(name: string, storage: ChatStorage) {
      const net = { down: false, changes: [] as string[] };
      const { client, pusher } = await stack.connect(name, {
        storage,
        fetch: async (input, init) => {
          if (net.down) throw new TypeError('Failed to fetch');
          const method = init?.method ?? 'GET';
          const path = decodeURIComponent(new URL(String(input)).pathname);
          if (/\/messages\/[^/]+(\/reactions\/.+)?$/.test(path) && method !== 'GET')
            net.changes.push(`${method} ${path.replace(/.*\/messages\/[^/]+/, '') || 'message'}`);
          return fetch(input, init);
        },
      });
      const offline = async () => {
        net.down = true;
        pusher().disconnect();
        await until('offline', () => client.connection.state === 'offline');
      };
      const online = () => {
        net.down = false;
        pusher().connect();
      };
      return { client, net, offline, online };
    }

    /** Alice and Bob's conversation with three messages of Alice's, loaded by her client. */
    async function conversation(name: string, storage: ChatStorage) {
      const alice = stack.userId(`alice-${name}`);
      const a = await connect(`alice-${name}`, storage);
      await connect(`bob-${name}`, memoryStorage());
      const { id } = await a.client.conversations.open({ with: stack.userId(`bob-${name}`) });
      await a.client.messages.load(id);
      for (const body of ['one', 'two', 'three']) a.client.messages.send(id, body);
      const sent = () => a.client.store.getSnapshot().conversations[id]!.messages.filter((m) => m.status !== 'sending');
      await until('the three sent', () => sent().length === 3);
      const ids = a.client.store.getSnapshot().conversations[id]!.messages.map((m) => m.id!);
      return { a, id, ids, alice };
    }

    /** Offline: one edited (twice: the last body wins), 🎉 on two (and 👍 on and off), three deleted. */
    function changeOffline(client: ChatClient, id: string, [one, two, three]: string[]) {
      return [
        client.messages.edit(id, one!, 'one, edited'),
        client.messages.edit(id, one!, 'one, edited again'),
        client.messages.toggleReaction(id, two!, '👍'),
        client.messages.toggleReaction(id, two!, '👍'),
        client.messages.toggleReaction(id, two!, '🎉'),
        client.messages.delete(id, three!),
      ];
    }

    const EXPECTED = [
      { body: 'one, edited again', deletedAt: null, reactions: undefined },
      { body: 'two', deletedAt: null, reactions: [{ emoji: '🎉', count: 1, reactedByMe: true }] },
      { body: '', deletedAt: expect.any(String), reactions: undefined },
    ];
    const SENT = ['PATCH message', 'PUT /reactions/🎉', 'DELETE message'];

    const truth = async (userId: string, id: string) =>
      (await stack.chat.api.listMessages(userId, id, { after: 0, limit: 10 }))!.messages.map((m) => ({
        body: m.body,
        deletedAt: m.deletedAt,
        reactions: m.reactions?.length ? m.reactions.map(({ emoji, count, reactedByMe }) => ({ emoji, count, reactedByMe })) : undefined,
      }));
    const shown = (client: ChatClient, id: string) =>
      client.store.getSnapshot().conversations[id]!.messages.map((m) => ({
        body: m.body,
        deletedAt: m.deletedAt,
        reactions: m.reactions?.map(({ emoji, count, reactedByMe }) => ({ emoji, count, reactedByMe })),
      }));

    it('an edit, a reaction and a delete made offline reach the server once the client is back, exactly once', async () => {
      const { a, id, ids, alice } = await conversation('back', memoryStorage());
      await a.offline();
      const changes = changeOffline(a.client, id, ids);
      await until('the changes shown', () => shown(a.client, id)[0]!.body === 'one, edited again' && !!shown(a.client, id)[2]!.deletedAt);
      expect(shown(a.client, id)).toMatchObject(EXPECTED);
      expect(a.net.changes).toEqual([]);

      a.online();
      await Promise.all(changes);
      expect(await truth(alice, id)).toMatchObject(EXPECTED);
      expect(a.net.changes).toEqual(SENT);
      // The edit is one version: the first body never reached the server.
      const versions = await a.client.messages.versions(id, ids[0]!);
      expect(versions.map((v) => v.body)).toEqual(['one', 'one, edited again']);
      expect(shown(a.client, id)).toMatchObject(EXPECTED);
    }, 60_000);

    it('a reload before reconnecting replays them, once, from the storage', async () => {
      const storage = memoryStorage();
      const { a, id, ids, alice } = await conversation('reload', storage);
      await a.offline();
      void changeOffline(a.client, id, ids);
      const key = `banter:${stack.url}:${alice}:changes`;
      await until('the changes stored', () => String(storage.getItem(key)).includes('"delete"'));
      a.client.close(); // the page reloads, back online

      const b = await connect('alice-reload', storage);
      await until('the changes on the server', async () => (await truth(alice, id))[2]!.deletedAt !== null);
      await until('the storage emptied', () => storage.getItem(key) === null);
      expect(await truth(alice, id)).toMatchObject(EXPECTED);
      expect(b.net.changes).toEqual(SENT);
      await b.client.messages.load(id);
      expect(shown(b.client, id)).toMatchObject(EXPECTED);

      const c = await connect('alice-reload', storage); // a later reload sends nothing again
      await c.client.messages.load(id);
      expect(c.net.changes).toEqual([]);
      expect(b.net.changes).toEqual(SENT);
    }, 60_000);
  });
}
