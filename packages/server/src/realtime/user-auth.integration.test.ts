import Pusher from 'pusher-js';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createChatServer, type ChatServer } from '../chat-server';
import { createRelay } from '../relay/create-relay';
import type { Relay } from '../relay/types';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { APP, connected, waitUntil } from '../../test/kit/relay';
import { TEST_SECRET } from '../../test/kit/test-server';
import type { Broadcaster } from './broadcaster';
import { disconnectUser } from './disconnect-user';
import { pusherBroadcaster } from './pusher-broadcaster';
import { relayBroadcaster } from './relay-broadcaster';

// Banter's own POST /realtime/user-auth signs pusher-js in as the Banter user; disconnectUser then
// closes all of that user's connections: in process (embedded relay) and over the Pusher HTTP API
// (the `pusher` SDK's terminate_connections against a relay in its own server).

const modes: { name: string; broadcaster: (relay: Relay, port: number) => Broadcaster }[] = [
  { name: 'embedded relay', broadcaster: (relay) => relayBroadcaster(relay) },
  {
    name: 'pusher SDK over HTTP',
    broadcaster: (_relay, port) =>
      pusherBroadcaster({
        appId: APP.id,
        key: APP.key,
        secret: APP.secret,
        host: '127.0.0.1',
        port,
        useTLS: false,
        userAuthentication: true,
      }),
  },
];

describeEachDatabase('realtime user authentication', (target) => {
  for (const mode of modes) {
    describe_(mode.name, mode.broadcaster);
  }

  function describe_(name: string, make: (relay: Relay, port: number) => Broadcaster) {
    let relay: Relay;
    let port: number;
    let chat: ChatServer;
    let clients: Pusher[] = [];

    beforeAll(async () => {
      relay = createRelay({ apps: [APP] });
      port = (await relay.listen(0, '127.0.0.1')).port;
      chat = createChatServer({ database: await target.create(), secret: TEST_SECRET, broadcaster: make(relay, port), onError: () => {} });
      await chat.ready;
    }, 30_000);
    afterEach(() => {
      for (const c of clients) c.disconnect();
      clients = [];
    });
    afterAll(async () => {
      await chat?.close();
      await chat?.db.close();
      await relay?.close();
    });

    async function userAuth(token: string | null, socketId: string) {
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (token) headers.authorization = `Bearer ${token}`;
      const body = new URLSearchParams({ socket_id: socketId }).toString();
      const res = await chat.handler(new Request('http://localhost/realtime/user-auth', { method: 'POST', headers, body }));
      return { status: res.status, body: (await res.json()) as any };
    }

    /** pusher-js as the Banter client configures it: user authentication through /realtime/user-auth. */
    function client(token: string): Pusher {
      const pusher = new Pusher(APP.key, {
        cluster: 'banter',
        wsHost: '127.0.0.1',
        wsPort: port,
        forceTLS: false,
        enabledTransports: ['ws'],
        userAuthentication: {
          endpoint: '/realtime/user-auth',
          transport: 'ajax',
          customHandler: ({ socketId }, callback) => {
            userAuth(token, socketId).then(
              (r) => (r.status === 200 ? callback(null, r.body) : callback(new Error(`HTTP ${r.status}`), null)),
              (error: Error) => callback(error, null),
            );
          },
        },
      });
      clients.push(pusher);
      return pusher;
    }

    async function signedIn(pusher: Pusher): Promise<void> {
      pusher.signin();
      await waitUntil('sign-in', (done) => {
        const check = () => (pusher.user.user_data ? done(undefined) : setTimeout(check, 5));
        check();
      });
    }

    const closedBy = (pusher: Pusher) =>
      waitUntil<number>('the connection to close', (done) =>
        pusher.connection.bind('error', (e: { data?: { code?: number } }) => e.data?.code && done(e.data.code)),
      );

    it(`${name}: GET /config names the user-auth endpoint`, async () => {
      const res = await chat.handler(new Request('http://localhost/config'));
      expect(((await res.json()) as { userAuthEndpoint?: string }).userAuthEndpoint).toBe('/realtime/user-auth');
    });

    it(`${name}: signs in as the Banter user (id and name), and disconnectUser closes only that user's connections`, async () => {
      const ann = `ann-${Date.now()}`;
      const bob = `bob-${Date.now()}`;
      const annToken = await chat.api.createUserToken(ann, { expiresIn: '1h', name: 'Ann' });
      const ann1 = client(annToken);
      const ann2 = client(annToken);
      const bob1 = client(await chat.api.createUserToken(bob, { expiresIn: '1h', name: 'Bob' }));
      await Promise.all([ann1, ann2, bob1].map(signedIn));
      expect(ann1.user.user_data).toMatchObject({ id: ann, user_info: { name: 'Ann' } });
      const closes = [ann1, ann2].map(closedBy);
      expect(await disconnectUser(chat.broadcaster, ann)).toBe(true);
      // 4009: pusher-js does not reconnect into it.
      expect(await Promise.all(closes)).toEqual([4009, 4009]);
      await waitUntil('pusher-js to stop', (done) => {
        const check = () => (ann1.connection.state === 'disconnected' ? done(undefined) : setTimeout(check, 5));
        check();
      });
      expect(bob1.connection.state).toBe('connected');
      await new Promise((r) => setTimeout(r, 200));
      expect(ann2.connection.state).not.toBe('connected');
    });

    it(`${name}: refuses a caller without a token, a bad socket id, and a signature replayed on another socket`, async () => {
      expect((await userAuth(null, '1.1')).status).toBe(401);
      const token = await chat.api.createUserToken(`eve-${Date.now()}`, { expiresIn: '1h' });
      const bad = await userAuth(token, 'not-a-socket');
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
      // Signed for one socket, sent on another: the relay refuses it.
      const victim = client(token);
      await connected(victim);
      const signed = (await userAuth(token, '123.456')).body as { auth: string; user_data: string };
      const closed = closedBy(victim);
      (victim.connection as any).send_event('pusher:signin', signed);
      expect(await closed).toBe(4009);
    });
  }
});

describeEachDatabase('realtime user authentication without a service that speaks it', (target) => {
  let chat: ChatServer;
  beforeAll(async () => {
    // Soketi or Reverb behind PUSHER_HOST: no sign-in, nothing to disconnect.
    const broadcaster = pusherBroadcaster({ appId: '1', key: 'k', secret: 's', host: '127.0.0.1', port: 1, useTLS: false });
    chat = createChatServer({ database: await target.create(), secret: TEST_SECRET, broadcaster, dispatch: false, onError: () => {} });
    await chat.ready;
  }, 30_000);
  afterAll(async () => {
    await chat?.close();
    await chat?.db.close();
  });

  it('GET /config has no user-auth endpoint, the route answers 503, disconnectUser is a no-op', async () => {
    const config = (await (await chat.handler(new Request('http://localhost/config'))).json()) as Record<string, unknown>;
    expect(config.userAuthEndpoint).toBeUndefined();
    const token = await chat.api.createUserToken('carl', { expiresIn: '1h' });
    const res = await chat.handler(
      new Request('http://localhost/realtime/user-auth', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'socket_id=1.2',
      }),
    );
    expect(res.status).toBe(503);
    expect(await disconnectUser(chat.broadcaster, 'carl')).toBe(false);
  });
});
