import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import Pusher from 'pusher-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error a plain .mjs script shared with `pnpm start`; it has no type declarations.
import { ensureBuilt } from '../../../scripts/ensure-built.mjs';
import { signChannelAuth } from '../src/realtime/sign-channel-auth';
import { APP, connected, nextEvent, relaySdk, subscribed, waitUntil } from './kit/relay';

// Two relay processes sharing events through Redis pub/sub (Redis on 127.0.0.1:6379), a pusher-js
// client on each: what one process delivers, the other's clients get too.

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const processes: ChildProcess[] = [];
const clients: Pusher[] = [];
let ports: number[] = [];

function start(channel: string): Promise<number> {
  const child = fork(fileURLToPath(new URL('./relay-process.mjs', import.meta.url)), {
    env: { ...process.env, RELAY_PROCESS: JSON.stringify({ app: APP, redisUrl: REDIS_URL, channel }) },
    stdio: 'inherit',
  });
  processes.push(child);
  return waitUntil('a relay process to listen', (done) => child.once('message', (m: { port: number }) => done(m.port)), 60_000);
}

function client(port: number, user: string): Pusher {
  const sdk = relaySdk();
  const pusher = new Pusher(APP.key, {
    cluster: 'local',
    wsHost: '127.0.0.1',
    wsPort: port,
    forceTLS: false,
    enabledTransports: ['ws'],
    channelAuthorization: {
      endpoint: '/unused',
      transport: 'ajax',
      customHandler: ({ socketId, channelName }, cb) => cb(null, signChannelAuth(APP, socketId, channelName, { user_id: user })),
    },
    userAuthentication: {
      endpoint: '/unused',
      transport: 'ajax',
      customHandler: ({ socketId }, cb) => cb(null, sdk.authenticateUser(socketId, { id: user }) as never),
    },
  });
  clients.push(pusher);
  return pusher;
}

const sdkFor = (port: number) => relaySdk(port);

beforeAll(async () => {
  ensureBuilt();
  const channel = `banter-relay-test-${randomBytes(6).toString('hex')}`;
  ports = await Promise.all([start(channel), start(channel)]);
}, 180_000);

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await Promise.all(
    processes.map(
      (p) =>
        new Promise<void>((resolve) => {
          p.once('exit', () => resolve());
          p.send('stop');
          setTimeout(() => (p.kill(), resolve()), 3000).unref();
        }),
    ),
  );
});

describe('relay cluster: two processes, Redis pub/sub', () => {
  it('a trigger on either process reaches subscribers on both', async () => {
    const [a, b] = ports as [number, number];
    const onA = await subscribed(client(a, 'ann'), 'private-room');
    const onB = await subscribed(client(b, 'bob'), 'private-room');
    const gotA = nextEvent(onA, 'e');
    const gotB = nextEvent(onB, 'e');
    await sdkFor(a).trigger('private-room', 'e', { n: 1 });
    expect(await Promise.all([gotA, gotB])).toEqual([{ n: 1 }, { n: 1 }]);
    const fromB = nextEvent(onA, 'e');
    await sdkFor(b).trigger('private-room', 'e', { n: 2 });
    expect(await fromB).toEqual({ n: 2 });
  });

  it('client events and presence member_added cross processes, with user_id', async () => {
    const [a, b] = ports as [number, number];
    const ann = client(a, 'ann2');
    const onA = await subscribed(ann, 'presence-conv');
    const joined = nextEvent<{ id: string }>(onA, 'pusher:member_added');
    const onB = await subscribed(client(b, 'bob2'), 'presence-conv');
    expect((await joined).id).toBe('bob2');
    const typing = waitUntil<{ data: unknown; userId: string }>('client-typing', (done) =>
      onA.bind('client-typing', (data: unknown, meta: { user_id: string }) => done({ data, userId: meta.user_id })),
    );
    onB.trigger('client-typing', { on: true });
    expect(await typing).toEqual({ data: { on: true }, userId: 'bob2' });
  });

  it('sendToUser and terminate_connections through one process reach the user signed in on the other', async () => {
    const [a, b] = ports as [number, number];
    const carol = client(a, 'carol');
    await connected(carol);
    carol.signin();
    await waitUntil('signed in', (done) => {
      const check = () => (carol.user.serverToUserChannel?.subscribed ? done(undefined) : setTimeout(check, 10));
      check();
    });
    const notice = waitUntil<unknown>('notice', (done) => carol.user.bind('notice', done));
    await sdkFor(b).sendToUser('carol', 'notice', { hi: true });
    expect(await notice).toEqual({ hi: true });
    const gone = waitUntil('carol disconnected', (done) =>
      carol.connection.bind('state_change', ({ current }: { current: string }) => current !== 'connected' && done(undefined)),
    );
    await sdkFor(b).terminateUserConnections('carol');
    await gone;
  });
});
