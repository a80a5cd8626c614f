import type Pusher from 'pusher-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Relay } from '../relay/types';
import { APP, collect, connected, pusherClient, sleep, startRelay, subscribed, waitUntil } from '../../test/kit/relay';
import type { Broadcaster } from './broadcaster';
import { pusherBroadcaster } from './pusher-broadcaster';
import { relayBroadcaster } from './relay-broadcaster';

let relay: Relay;
let port: number;
let clients: Pusher[] = [];

beforeEach(async () => {
  ({ relay, port } = await startRelay());
});

afterEach(async () => {
  for (const c of clients) c.disconnect();
  clients = [];
  await relay.close();
});

async function listener(channel: string) {
  const c = pusherClient(port);
  clients.push(c);
  const socketId = await connected(c);
  const ch = await subscribed(c, channel);
  return { socketId, ch, client: c };
}

/** The same behaviour, over HTTP through the pusher SDK and in process. */
const kinds: Array<[string, () => Broadcaster]> = [
  [
    'pusherBroadcaster (HTTP, pusher SDK)',
    () => pusherBroadcaster({ appId: APP.id, key: APP.key, secret: APP.secret, host: '127.0.0.1', port, useTLS: false }),
  ],
  ['relayBroadcaster (in process)', () => relayBroadcaster(relay)],
];

describe.each(kinds)('%s', (_, make) => {
  it('exposes the app credentials', () => {
    expect(make().app).toEqual(APP);
  });

  it('triggers on several channels, excluding the given socket', async () => {
    const a = await listener('private-user.a');
    const b = await listener('private-user.b');
    const aGot = collect(a.ch, 'message.created');
    const bGot = waitUntil('b to receive', (done) => b.ch.bind('message.created', done));
    await make().trigger(['private-user.a', 'private-user.b'], 'message.created', { seq: 1 }, { socketId: a.socketId });
    expect(await bGot).toEqual({ seq: 1 });
    await sleep(30);
    expect(aGot).toHaveLength(0);
  });

  it('delivers a batch larger than maxBatchSize in order', async () => {
    const broadcaster = make();
    const { ch } = await listener('private-user.a');
    const got: number[] = [];
    const count = broadcaster.maxBatchSize + 5;
    const all = waitUntil('the whole batch', (done) =>
      ch.bind('conversation.read', (d: { seq: number }) => (got.push(d.seq), got.length === count && done(undefined))),
    );
    await broadcaster.triggerBatch(
      Array.from({ length: count }, (_, seq) => ({ channel: 'private-user.a', name: 'conversation.read', data: { seq } })),
    );
    await all;
    expect(got).toEqual(Array.from({ length: count }, (_, seq) => seq));
  });

  it('rejects data over 10 KB', async () => {
    await expect(make().trigger(['private-user.a'], 'message.created', { text: 'x'.repeat(11 * 1024) })).rejects.toThrow(
      /413|over 10240 bytes/,
    );
  });
});

describe('pusherBroadcaster errors', () => {
  it('rejects with the status and the service explanation on a non-2xx answer', async () => {
    const wrong = pusherBroadcaster({ appId: APP.id, key: APP.key, secret: 'wrong', host: '127.0.0.1', port, useTLS: false });
    await expect(wrong.trigger(['room'], 'x', {})).rejects.toThrow(/Pusher trigger of x failed: HTTP 401 .*auth_signature/);
    await expect(wrong.triggerBatch([{ channel: 'room', name: 'x', data: {} }])).rejects.toThrow(/HTTP 401/);
  });

  it('rejects with the cause when the service is unreachable', async () => {
    await relay.close();
    const broadcaster = pusherBroadcaster({ appId: APP.id, key: APP.key, secret: APP.secret, host: '127.0.0.1', port, useTLS: false });
    await expect(broadcaster.trigger(['room'], 'x', {})).rejects.toThrow(/Pusher trigger of x failed: .*ECONNREFUSED/);
  });
});
