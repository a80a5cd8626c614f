import { randomUUID } from 'node:crypto';
import { userChannel } from '@banter/core/protocol';
import Pusher from 'pusher-js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ChatServer, createChatServer } from '../chat-server';
import { relayBroadcaster } from '../realtime/relay-broadcaster';
import { createRelay } from '../relay/create-relay';
import type { Relay } from '../relay/types';
import { describeEachDatabase, useTestDatabase } from '../../test/kit/describe-each-database';
import { TEST_SECRET } from '../../test/kit/test-server';
import { until } from '../../test/kit/until';

describeEachDatabase('outbox to the embedded relay, end to end', (target) => {
  const db = useTestDatabase(target);
  let relay: Relay;
  let port: number;
  let chat: ChatServer;
  beforeAll(async () => {
    relay = createRelay({ apps: [{ id: 'e2e-app', key: 'e2e-key', secret: 'e2e-secret' }] });
    ({ port } = await relay.listen(0, '127.0.0.1'));
    chat = createChatServer({
      database: db(),
      secret: TEST_SECRET,
      migrate: false,
      broadcaster: relayBroadcaster(relay),
      onError: () => {},
    });
  });
  afterAll(async () => {
    await chat?.close();
    await relay?.close();
  });

  it('brings message.created to a pusher-js client on private-user.<id> after a POST', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const [alice, bob] = [`alice-${suffix}`, `bob-${suffix}`];
    const bobToken = await chat.api.createUserToken(bob, { expiresIn: '1h' });
    const aliceToken = await chat.api.createUserToken(alice, { expiresIn: '1h' });
    const { conversation } = await chat.api.createConversation({ createdBy: alice, participantIds: [bob] });

    // Bob's client authorizes through the chat server's own POST /realtime/auth.
    const pusher = new Pusher('e2e-key', {
      cluster: 'banter',
      wsHost: '127.0.0.1',
      wsPort: port,
      forceTLS: false,
      enabledTransports: ['ws'],
      channelAuthorization: {
        endpoint: '/realtime/auth',
        transport: 'ajax',
        customHandler: ({ socketId, channelName }, callback) => {
          chat
            .handler(
              new Request('http://localhost/realtime/auth', {
                method: 'POST',
                headers: { authorization: `Bearer ${bobToken}`, 'content-type': 'application/x-www-form-urlencoded' },
                body: new URLSearchParams({ socket_id: socketId, channel_name: channelName }).toString(),
              }),
            )
            .then(async (response) =>
              callback(response.ok ? null : new Error(`auth ${response.status}`), response.ok ? await response.json() : null),
            )
            .catch((error: Error) => callback(error, null));
        },
      },
    });
    try {
      const received: Array<{ conversationId: string; seq: number; message?: { body: string } }> = [];
      const channel = pusher.subscribe(userChannel(bob));
      await new Promise<void>((resolve, reject) => {
        channel.bind('pusher:subscription_succeeded', () => resolve());
        channel.bind('pusher:subscription_error', (error: unknown) => reject(new Error(`subscription failed: ${JSON.stringify(error)}`)));
      });
      channel.bind('message.created', (data: (typeof received)[number]) => received.push(data));

      const response = await chat.handler(
        new Request(`http://localhost/conversations/${conversation.id}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${aliceToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ clientId: randomUUID(), body: 'hello over the relay' }),
        }),
      );
      expect(response.status).toBe(201);
      await until('message.created at the pusher-js client', () => received.length === 1, 3000);
      expect(received[0]).toMatchObject({ conversationId: conversation.id, seq: 1, message: { body: 'hello over the relay' } });
    } finally {
      pusher.disconnect();
    }
  });
});
