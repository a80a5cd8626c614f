import { conversationChannel, userChannel } from '@banter/core/protocol';
import Pusher from 'pusher-js';
import { afterEach, beforeAll, afterAll, expect, it } from 'vitest';
import type { ChatServer } from '../chat-server';
import type { Broadcaster } from '../realtime/broadcaster';
import { pusherBroadcaster } from '../realtime/pusher-broadcaster';
import { relayBroadcaster } from '../realtime/relay-broadcaster';
import type { Relay } from '../relay/types';
import { describeEachDatabase, useTestDatabase } from '../../test/kit/describe-each-database';
import { useInstances } from '../../test/kit/instances';
import { APP, startRelay } from '../../test/kit/relay';
import { until } from '../../test/kit/until';

// A removed participant's participant.removed reaches them before their connections close, whichever
// instance dispatches: closing them is an outbox step after that event (outbox/steps.ts), not
// something the request that removed them does (it waits for no outbox).
const modes: { name: string; broadcaster: (relay: Relay, port: number) => Broadcaster }[] = [
  { name: 'embedded relay', broadcaster: (relay) => relayBroadcaster(relay) },
  {
    name: 'Pusher HTTP API (terminate_connections)',
    broadcaster: (_relay, port) =>
      pusherBroadcaster({
        ...{ appId: APP.id, key: APP.key, secret: APP.secret },
        host: '127.0.0.1',
        port,
        useTLS: false,
        userAuthentication: true,
      }),
  },
];

describeEachDatabase('removing a participant closes their connections after their participant.removed', (target) => {
  const db = useTestDatabase(target);
  const instance = useInstances(target, db);
  let relay: Relay;
  let port: number;
  const clients: Pusher[] = [];
  beforeAll(async () => {
    ({ relay, port } = await startRelay());
  });
  afterAll(async () => {
    await relay?.close();
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnect();
  });

  /** pusher-js signed in as `userId` (so terminate_connections reaches it), on its user and the presence channel. */
  async function connect(chat: ChatServer, userId: string, conversationId: string) {
    const token = await chat.api.createUserToken(userId, { expiresIn: '1h' });
    const post = async (path: string, form: Record<string, string>) => {
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' };
      const res = await chat.handler(
        new Request(`http://localhost${path}`, { method: 'POST', headers, body: new URLSearchParams(form).toString() }),
      );
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
      return res.json();
    };
    const handler =
      (path: string) => (params: { socketId: string; channelName?: string }, callback: (error: Error | null, data: any) => void) => {
        const form: Record<string, string> = { socket_id: params.socketId };
        if (params.channelName) form.channel_name = params.channelName;
        post(path, form).then(
          (data) => callback(null, data),
          (error: Error) => callback(error, null),
        );
      };
    const pusher = new Pusher(APP.key, {
      cluster: 'banter',
      wsHost: '127.0.0.1',
      wsPort: port,
      forceTLS: false,
      enabledTransports: ['ws'],
      userAuthentication: { endpoint: '/realtime/user-auth', transport: 'ajax', customHandler: handler('/realtime/user-auth') },
      channelAuthorization: { endpoint: '/realtime/auth', transport: 'ajax', customHandler: handler('/realtime/auth') },
    });
    clients.push(pusher);
    // What this client saw, in order: events on its channel, and its connection closing.
    const log: string[] = [];
    // pusher-js reports the relay's 4009 (as an error, then as the close): logged once.
    const closedAs = (code?: number) => code && !log.includes(`closed ${code}`) && log.push(`closed ${code}`);
    pusher.connection.bind('error', (e: { data?: { code?: number } }) => closedAs(e.data?.code));
    const subscribed = (name: string) =>
      new Promise<void>((resolve, reject) => {
        const channel = pusher.subscribe(name);
        channel.bind('pusher:subscription_succeeded', () => resolve());
        channel.bind('pusher:subscription_error', (error: unknown) => reject(new Error(`${name}: ${JSON.stringify(error)}`)));
      });
    pusher.signin();
    await until('the sign-in', () => pusher.user.user_data);
    await Promise.all([subscribed(userChannel(userId)), subscribed(conversationChannel(conversationId))]);
    pusher
      .channel(userChannel(userId))!
      .bind('participant.removed', (e: { userId: string }) => log.push(`participant.removed ${e.userId}`));
    return { pusher, log };
  }

  /** `DELETE /conversations/:id/participants/:userId` through `chat`'s handler, as `actor`. */
  async function remove(chat: ChatServer, actor: string, conversationId: string, userId: string): Promise<Response> {
    const token = await chat.api.createUserToken(actor, { expiresIn: '1h' });
    const headers = { authorization: `Bearer ${token}` };
    return chat.handler(
      new Request(`http://localhost/conversations/${conversationId}/participants/${userId}`, { method: 'DELETE', headers }),
    );
  }

  for (const mode of modes) {
    it(`${mode.name}: the DELETE is handled by an instance that does not dispatch; another instance publishes, then disconnects`, async () => {
      const writer = instance({ broadcaster: mode.broadcaster(relay, port), dispatch: false });
      const suffix = Math.random().toString(36).slice(2, 8);
      const [ann, ben] = [`ann-${suffix}`, `ben-${suffix}`];
      const { conversation } = await writer.api.createConversation({ createdBy: ann, participantIds: [ben], title: 'Crew' });
      const annClient = await connect(writer, ann, conversation.id);
      const benClient = await connect(writer, ben, conversation.id);

      const response = await remove(writer, ann, conversation.id, ben);
      // Answered with no dispatcher anywhere yet: the request waited for no outbox, closed nothing.
      expect(response.status).toBe(200);
      expect(benClient.pusher.connection.state).toBe('connected');
      expect(benClient.log).toEqual([]);

      const dispatcher = instance({ broadcaster: mode.broadcaster(relay, port), dispatcher: { pollIntervalMs: 50 } });
      await until('ben to be disconnected', () => benClient.log.some((line) => line.startsWith('closed')));
      expect(benClient.log).toEqual([`participant.removed ${ben}`, 'closed 4009']);
      // Ann stays, and got the event too.
      await until('ann to get participant.removed', () => annClient.log.length > 0);
      expect(annClient.log).toEqual([`participant.removed ${ben}`]);
      expect(annClient.pusher.connection.state).toBe('connected');
      await dispatcher.dispatcher!.flush();
      expect((await dispatcher.metrics()).outbox.pending).toBe(0);
    });
  }

  it('embedded relay, one instance (its fast path): participant.removed, then the connection closes', async () => {
    const chat = instance({ broadcaster: relayBroadcaster(relay) });
    const suffix = Math.random().toString(36).slice(2, 8);
    const [ann, ben] = [`ann-${suffix}`, `ben-${suffix}`];
    const { conversation } = await chat.api.createConversation({ createdBy: ann, participantIds: [ben], title: 'Crew' });
    const benClient = await connect(chat, ben, conversation.id);
    expect((await remove(chat, ann, conversation.id, ben)).status).toBe(200);
    await until('ben to be disconnected', () => benClient.log.some((line) => line.startsWith('closed')));
    expect(benClient.log).toEqual([`participant.removed ${ben}`, 'closed 4009']);
  });
});
