import Echo from 'laravel-echo';
import type PusherServer from 'pusher';
import Pusher from 'pusher-js';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE } from './codes';
import { APP, call, connected, RawClient, relaySdk, signedUrl, startRelay, waitUntil } from '../../test/kit/relay';
import type { Relay } from './types';

// User authentication as Pusher documents it, with the real pusher SDK signing and pusher-js /
// Laravel Echo signing in: pusher:signin, #server-to-user-<id>, sendToUser, terminate, watchlist.

let relay: Relay | null = null;
let clients: Pusher[] = [];
let raws: RawClient[] = [];

afterEach(async () => {
  for (const c of clients) c.disconnect();
  for (const r of raws) r.close();
  clients = [];
  raws = [];
  await relay?.close();
  relay = null;
});

async function start() {
  const started = await startRelay();
  relay = started.relay;
  const sdk = relaySdk(started.port);
  return { port: started.port, sdk };
}

/** pusher-js whose user authentication is the pusher SDK's authenticateUser, as a host backend answers it. */
function client(port: number, sdk: PusherServer, user: { id: string; watchlist?: string[] }, secret = APP.secret): Pusher {
  const signer = secret === APP.secret ? sdk : relaySdk(undefined, { secret });
  const pusher = new Pusher(APP.key, {
    cluster: 'local',
    wsHost: '127.0.0.1',
    wsPort: port,
    forceTLS: false,
    enabledTransports: ['ws'],
    userAuthentication: {
      endpoint: '/unused',
      transport: 'ajax',
      customHandler: ({ socketId }, callback) => callback(null, signer.authenticateUser(socketId, user) as never),
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
  // pusher-js subscribes to #server-to-user-<id> right after signin_success.
  await waitUntil('#server-to-user subscription', (done) => {
    const check = () => (pusher.user.serverToUserChannel?.subscribed ? done(undefined) : setTimeout(check, 5));
    check();
  });
}

describe('relay: user authentication (pusher SDK + pusher-js)', () => {
  it('signs in, receives sendToUser events on every connection of that user, not on others', async () => {
    const { port, sdk } = await start();
    const ann1 = client(port, sdk, { id: 'ann' });
    const ann2 = client(port, sdk, { id: 'ann' });
    const bob = client(port, sdk, { id: 'bob' });
    await Promise.all([ann1, ann2, bob].map(signedIn));
    const got: unknown[] = [];
    bob.user.bind('notice', (d: unknown) => got.push(d));
    const received = [ann1, ann2].map((p) => waitUntil<unknown>('notice', (done) => p.user.bind('notice', done)));
    await sdk.sendToUser('ann', 'notice', { text: 'hi' });
    expect(await Promise.all(received)).toEqual([{ text: 'hi' }, { text: 'hi' }]);
    // The route name too: POST /apps/:id/users/:userId/events.
    const body = JSON.stringify({ name: 'notice', data: JSON.stringify({ text: 'again' }) });
    const again = waitUntil<unknown>('notice again', (done) =>
      ann1.user.bind('notice', (d: { text: string }) => d.text === 'again' && done(d)),
    );
    expect((await call(port, 'POST', signedUrl('POST', `/apps/${APP.id}/users/ann/events`, body), body)).status).toBe(200);
    await again;
    expect(got).toEqual([]);
  });

  it('terminate_connections closes every connection of the user with 4009; others stay', async () => {
    const { port, sdk } = await start();
    const ann = client(port, sdk, { id: 'ann' });
    const bob = client(port, sdk, { id: 'bob' });
    await Promise.all([ann, bob].map(signedIn));
    const gone = waitUntil<string>('ann disconnected', (done) =>
      ann.connection.bind('state_change', ({ current }: { current: string }) => current !== 'connected' && done(current)),
    );
    await sdk.terminateUserConnections('ann');
    await gone;
    await new Promise((r) => setTimeout(r, 100));
    expect(ann.connection.state).not.toBe('connected'); // 4009: pusher-js does not reconnect
    expect(bob.connection.state).toBe('connected');
    expect(relay!.stats().connections).toBe(1);
  });

  it('watchlist: online on sign-in (and who is already online), offline on the last connection', async () => {
    const { port, sdk } = await start();
    const bob = client(port, sdk, { id: 'bob' });
    await signedIn(bob);
    const ann = client(port, sdk, { id: 'ann', watchlist: ['bob', 'carol'] });
    const initial = waitUntil<{ user_ids: string[] }>('online', (done) => ann.user.watchlist.bind('online', done));
    await signedIn(ann);
    expect((await initial).user_ids).toEqual(['bob']);
    const carolOnline = waitUntil<{ user_ids: string[] }>('carol online', (done) => ann.user.watchlist.bind('online', done));
    const carol = client(port, sdk, { id: 'carol' });
    await signedIn(carol);
    expect((await carolOnline).user_ids).toEqual(['carol']);
    const offline = waitUntil<{ user_ids: string[] }>('offline', (done) => ann.user.watchlist.bind('offline', done));
    bob.disconnect();
    expect((await offline).user_ids).toEqual(['bob']);
  });

  it('Laravel Echo on top of pusher-js signs in and hears sendToUser', async () => {
    const { port, sdk } = await start();
    const pusher = client(port, sdk, { id: 'ann' });
    const echo = new Echo({ broadcaster: 'pusher', key: APP.key, client: pusher });
    await signedIn(echo.connector.pusher as Pusher);
    const got = waitUntil<unknown>('notice', (done) => (echo.connector.pusher as Pusher).user.bind('notice', done));
    await sdk.sendToUser('ann', 'notice', { n: 1 });
    expect(await got).toEqual({ n: 1 });
  });
});

describe('relay: user authentication refusals', () => {
  it('a sign-in signed with the wrong secret closes the connection with 4009 and signs no one in', async () => {
    const { port, sdk } = await start();
    const mallory = client(port, sdk, { id: 'ann' }, 'wrong-secret');
    await connected(mallory);
    const closed = waitUntil('closed', (done) =>
      mallory.connection.bind('state_change', ({ current }: { current: string }) => current !== 'connected' && done(current)),
    );
    mallory.signin();
    await closed;
    expect(relay!.stats().refusedSignins).toBe(1);
  });

  it("refuses another user's #server-to-user channel, and the channel before signing in", async () => {
    const { port, sdk } = await start();
    const c = await RawClient.open(port);
    raws.push(c);
    const socketId = (await c.next('pusher:connection_established')).data.socket_id as string;
    c.send({ event: 'pusher:subscribe', data: { channel: '#server-to-user-ann' } });
    expect((await c.next('pusher:subscription_error')).data).toMatchObject({ type: 'AuthError', status: 403 });
    const auth = sdk.authenticateUser(socketId, { id: 'ann' });
    c.send({ event: 'pusher:signin', data: auth });
    expect(JSON.parse((await c.next('pusher:signin_success')).data.user_data)).toEqual({ id: 'ann' });
    c.send({ event: 'pusher:subscribe', data: { channel: '#server-to-user-bob' } });
    expect((await c.next('pusher:subscription_error')).data).toMatchObject({ type: 'AuthError', status: 403 });
    // A signature for one socket does not sign in another (replayed auth).
    const other = await RawClient.open(port);
    raws.push(other);
    await other.next('pusher:connection_established');
    other.send({ event: 'pusher:signin', data: auth });
    expect((await other.next('pusher:error')).data.code).toBe(CLOSE.unauthorized);
    expect(await other.closed()).toBe(CLOSE.unauthorized);
  });

  it('refuses terminate_connections and send-to-user with a stale timestamp or a bad signature (401)', async () => {
    const { port } = await start();
    const path = `/apps/${APP.id}/users/ann/terminate_connections`;
    const stale = signedUrl('POST', path, '{}', { timestamp: Math.floor(Date.now() / 1000) - 700 });
    expect((await call(port, 'POST', stale, '{}')).status).toBe(401);
    expect((await call(port, 'POST', signedUrl('POST', path, '{}', { secret: 'nope' }), '{}')).status).toBe(401);
    const bad = `/apps/${APP.id}/users/${encodeURIComponent('a b')}/terminate_connections`;
    expect((await call(port, 'POST', signedUrl('POST', bad, '{}'), '{}')).status).toBe(400);
  });
});
