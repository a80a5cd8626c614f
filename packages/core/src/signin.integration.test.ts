import { databaseTargets } from '@banter/server/testing';
import Pusher from 'pusher-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatStack, type ChatStack } from '../test/chat-stack';
import { createChatClient } from './client';
import type { ChatClient } from './types';
import { until } from '../../server/test/kit/until';

// The client signs in (pusher:signin) as its Banter user when GET /config names a user-auth
// endpoint, so the server can close every connection of a banned user at once.
for (const target of databaseTargets()) {
  describe(`client sign-in with the real server and relay (${target.name})`, () => {
    let stack: ChatStack;
    const clients: ChatClient[] = [];

    beforeAll(async () => {
      stack = await startChatStack(target);
    }, 60_000);
    afterAll(async () => {
      for (const c of clients) c.close();
      await stack?.close();
    });

    async function connect(name: string) {
      const userId = stack.userId(name);
      let pusher: Pusher | undefined;
      const client = createChatClient({
        url: stack.url,
        token: await stack.token(userId),
        realtime: {
          Pusher: class extends Pusher {
            constructor(key: string, opts: ConstructorParameters<typeof Pusher>[1]) {
              super(key, opts);
              pusher = this as Pusher;
            }
          },
        },
      });
      clients.push(client);
      await client.ready;
      await until(`${name} connected`, () => client.connection.state === 'connected');
      await until(`${name} signed in`, () => Boolean(pusher!.user.user_data));
      return { client, userId, pusher: pusher! };
    }

    it('signs in as its user; disconnectUser takes that user offline for good, others stay', async () => {
      const ann = await connect('ann');
      const bob = await connect('bob');
      expect(ann.pusher.user.user_data).toMatchObject({ id: ann.userId, user_info: { name: ann.userId } });
      expect(stack.relay().stats().connections).toBe(2);
      await stack.chat.broadcaster!.disconnectUser!(ann.userId);
      await until('ann offline', () => ann.client.connection.state === 'offline');
      // pusher-js does not reconnect after 4009.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(ann.client.connection.state).toBe('offline');
      expect(bob.client.connection.state).toBe('connected');
      expect(stack.relay().stats().connections).toBe(1);
    }, 30_000);
  });
}
