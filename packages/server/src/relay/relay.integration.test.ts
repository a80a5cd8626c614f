import type PusherServer from 'pusher';
import type Pusher from 'pusher-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Relay } from './types';
import { APP, collect, connected, nextEvent, pusherClient, relaySdk, sleep, startRelay, subscribed, waitUntil } from '../../test/kit/relay';

let relay: Relay;
let port: number;
let clients: Pusher[] = [];

function client(options?: Parameters<typeof pusherClient>[1]): Pusher {
  const c = pusherClient(port, options);
  clients.push(c);
  return c;
}

function sdk(): PusherServer {
  return relaySdk(port);
}

/** Nothing more to arrive: the relay answered a ping sent after the action, so it processed the action. */
async function settled(pusher: Pusher): Promise<void> {
  await waitUntil('a pong', (done) => {
    const conn = (
      pusher.connection as unknown as { connection: { bind(e: string, f: () => void): void; send_event(n: string, d: unknown): void } }
    ).connection;
    conn.bind('pong', () => done(undefined));
    conn.send_event('pusher:ping', {});
  });
  await sleep(20);
}

beforeEach(async () => {
  ({ relay, port } = await startRelay());
});

afterEach(async () => {
  for (const c of clients) c.disconnect();
  clients = [];
  await relay.close();
});

describe('relay with pusher-js', () => {
  it('connects and hands out a socket id the pusher SDK accepts', async () => {
    const socketId = await connected(client());
    expect(socketId).toMatch(/^\d+\.\d+$/);
    expect(relay.stats().connections).toBe(1);
  });

  it('subscribes to public, private and presence channels', async () => {
    const c = client({ user: { user_id: 'ann', user_info: { name: 'Ann' } } });
    await subscribed(c, 'room');
    await subscribed(c, 'private-user.ann');
    const presence = (await subscribed(c, 'presence-conversation.1')) as unknown as {
      members: { count: number; me: { id: string; info: unknown } };
    };
    expect(presence.members.count).toBe(1);
    expect(presence.members.me).toEqual({ id: 'ann', info: { name: 'Ann' } });
    expect(relay.stats()).toMatchObject({ channels: 3, subscriptions: 3 });
  });

  it('refuses a private channel signed with the wrong secret', async () => {
    const c = client({ secret: 'not-the-secret' });
    const error = await subscribed(c, 'private-user.ann').then(
      () => null,
      (e: Error) => e.cause,
    );
    expect(error).toMatchObject({ type: 'AuthError', status: 401 });
    expect(relay.stats()).toMatchObject({ subscriptions: 0, refusedSubscriptions: 1 });
  });

  it('counts a user on two connections once in presence', async () => {
    const watcher = client({ user: { user_id: 'bob' } });
    const channel = await subscribed(watcher, 'presence-room');
    const members = (channel as unknown as { members: { count: number } }).members;
    const added = collect(channel, 'pusher:member_added');
    const removed = collect(channel, 'pusher:member_removed');

    const tab1 = client({ user: { user_id: 'ann', user_info: { name: 'Ann' } } });
    const joined = nextEvent(channel, 'pusher:member_added');
    await subscribed(tab1, 'presence-room');
    expect(await joined).toMatchObject({ id: 'ann', info: { name: 'Ann' } });
    const tab2 = client({ user: { user_id: 'ann', user_info: { name: 'Ann' } } });
    const second = (await subscribed(tab2, 'presence-room')) as unknown as { members: { count: number } };
    expect(second.members.count).toBe(2);
    expect(members.count).toBe(2);

    tab1.unsubscribe('presence-room');
    await settled(tab1);
    await settled(watcher);
    expect(removed).toHaveLength(0); // ann still has tab2
    const left = nextEvent(channel, 'pusher:member_removed');
    tab2.disconnect();
    expect(await left).toMatchObject({ id: 'ann' });
    expect(members.count).toBe(1);
    expect(added).toHaveLength(1);
    const users = await sdk().get({ path: '/channels/presence-room/users' });
    expect(await users.json()).toEqual({ users: [{ id: 'bob' }] });
  });

  it('delivers client events to the others, not back to the sender, with user_id on presence', async () => {
    const ann = client({ user: { user_id: 'ann' } });
    const bob = client({ user: { user_id: 'bob' } });
    const annChannel = await subscribed(ann, 'presence-conversation.7');
    const bobChannel = await subscribed(bob, 'presence-conversation.7');
    const echoed = collect(annChannel, 'client-typing');
    const received = waitUntil<{ data: unknown; userId: unknown }>('client-typing', (done) =>
      bobChannel.bind('client-typing', (data: unknown, meta: { user_id?: string }) => done({ data, userId: meta?.user_id })),
    );
    expect(annChannel.trigger('client-typing', { userId: 'ann' })).toBe(true);
    expect(await received).toEqual({ data: { userId: 'ann' }, userId: 'ann' });
    await settled(ann);
    expect(echoed).toHaveLength(0);
    expect(relay.stats().clientEvents).toBe(1);
  });

  it('refuses client events on public channels and past 10 per second (4301)', async () => {
    const ann = client({ user: { user_id: 'ann' } });
    const bob = client({ user: { user_id: 'bob' } });
    const errors: Array<{ data?: { code?: number } }> = [];
    ann.connection.bind('error', (e: { data?: { code?: number } }) => errors.push(e));
    const annChannel = await subscribed(ann, 'private-pair');
    const bobReceived = collect(await subscribed(bob, 'private-pair'), 'client-burst');
    const publicChannel = await subscribed(ann, 'lobby');
    publicChannel.trigger('client-nope', {});
    for (let i = 0; i < 15; i++) annChannel.trigger('client-burst', { i });
    await waitUntil('4301', (done) => {
      const check = () => (errors.some((e) => e.data?.code === 4301) ? done(undefined) : setTimeout(check, 10));
      check();
    });
    await settled(bob);
    expect(errors.some((e) => e.data?.code === 4300)).toBe(true);
    // Within one second at most 10 get through (a window edge may let a few more by, never all 15).
    expect(bobReceived.length).toBeGreaterThanOrEqual(10);
    expect(bobReceived.length).toBeLessThan(15);
  });

  it('refuses an oversize client event payload', async () => {
    const ann = client({ user: { user_id: 'ann' } });
    const bob = client({ user: { user_id: 'bob' } });
    const errors: Array<{ data?: { code?: number; message?: string } }> = [];
    ann.connection.bind('error', (e: { data?: { code?: number } }) => errors.push(e));
    const annChannel = await subscribed(ann, 'private-pair');
    const bobReceived = collect(await subscribed(bob, 'private-pair'), 'client-big');
    annChannel.trigger('client-big', { text: 'x'.repeat(11 * 1024) });
    await settled(ann);
    await settled(bob);
    expect(bobReceived).toHaveLength(0);
    expect(errors[0]?.data?.message).toMatch(/over 10240 bytes/);
  });

  it('delivers events triggered through the pusher SDK, one by one and in a batch', async () => {
    const c = client();
    const room = await subscribed(c, 'private-user.ann');
    const first = nextEvent(room, 'message.created');
    await sdk().trigger(['private-user.ann', 'private-user.bob'], 'message.created', { seq: 1 });
    expect(await first).toEqual({ seq: 1 });

    const got: unknown[] = [];
    const three = waitUntil('three batch events', (done) =>
      room.bind('conversation.read', (data: unknown) => (got.push(data), got.length === 3 && done(undefined))),
    );
    await sdk().triggerBatch([1, 2, 3].map((seq) => ({ channel: 'private-user.ann', name: 'conversation.read', data: { seq } })));
    await three;
    expect(got).toEqual([{ seq: 1 }, { seq: 2 }, { seq: 3 }]);
  });

  it('excludes the socket named by socket_id', async () => {
    const sender = client();
    const other = client();
    const senderId = await connected(sender);
    const mine = collect(await subscribed(sender, 'room'), 'message.created');
    const theirs = nextEvent(await subscribed(other, 'room'), 'message.created');
    await sdk().trigger('room', 'message.created', { seq: 1 }, { socket_id: senderId });
    expect(await theirs).toEqual({ seq: 1 });
    await settled(sender);
    expect(mine).toHaveLength(0);

    // In process too.
    const again = nextEvent(other.channel('room'), 'message.created');
    relay.publish(['room'], 'message.created', { seq: 2 }, { excludeSocketId: senderId });
    expect(await again).toEqual({ seq: 2 });
    await settled(sender);
    expect(mine).toHaveLength(0);
  });

  it('refuses oversize event data with 413, through the SDK and in process', async () => {
    const error = await sdk()
      .trigger('room', 'big', 'x'.repeat(10 * 1024 + 1))
      .catch((e: { status?: number; body?: string }) => e);
    expect(error).toMatchObject({ status: 413 });
    expect(JSON.parse((error as { body: string }).body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(() => relay.publish('room', 'big', 'x'.repeat(10 * 1024 + 1))).toThrow(RangeError);
  });

  it('answers the channel info endpoints', async () => {
    const ann = client({ user: { user_id: 'ann' } });
    const bob = client({ user: { user_id: 'bob' } });
    await subscribed(ann, 'presence-conversation.1');
    await subscribed(bob, 'presence-conversation.1');
    await subscribed(ann, 'room');
    const api = sdk();
    const all = await (await api.get({ path: '/channels' })).json();
    expect(all).toEqual({ channels: { 'presence-conversation.1': {}, room: {} } });
    const presence = await (await api.get({ path: '/channels', params: { filter_by_prefix: 'presence-', info: 'user_count' } })).json();
    expect(presence).toEqual({ channels: { 'presence-conversation.1': { user_count: 2 } } });
    const one = await (
      await api.get({ path: '/channels/presence-conversation.1', params: { info: 'user_count,subscription_count' } })
    ).json();
    expect(one).toEqual({ occupied: true, user_count: 2, subscription_count: 2 });
    const empty = await (await api.get({ path: '/channels/nobody-here' })).json();
    expect(empty).toEqual({ occupied: false });
    const users = await (await api.get({ path: '/channels/presence-conversation.1/users' })).json();
    expect(users.users.map((u: { id: string }) => u.id).sort()).toEqual(['ann', 'bob']);
    const notPresence = await api.get({ path: '/channels/room/users' }).catch((e: { status?: number }) => e);
    expect(notPresence).toMatchObject({ status: 400 });
  });

  it('reconnects and resubscribes by itself after the relay restarts', async () => {
    const c = client({ user: { user_id: 'ann' } });
    const firstId = await connected(c);
    await subscribed(c, 'private-user.ann');
    const presence = await subscribed(c, 'presence-room');
    const states: string[] = [];
    c.connection.bind('state_change', ({ current }: { current: string }) => states.push(current));

    await relay.close();
    ({ relay } = await restartOn(port));
    // pusher-js saw 1001 and comes back after 1 s; its channels re-authorize with the new socket id.
    await waitUntil(
      'resubscription',
      (done) => {
        const check = () => (relay.stats().subscriptions === 2 ? done(undefined) : setTimeout(check, 10));
        check();
      },
      4000,
    );
    expect(c.connection.socket_id).not.toBe(firstId);
    expect(states).toContain('connected');
    const next = nextEvent(presence, 'message.created');
    relay.publish('presence-room', 'message.created', { seq: 9 });
    expect(await next).toEqual({ seq: 9 });
  }, 10_000);
});

async function restartOn(p: number) {
  const { createRelay } = await import('./create-relay');
  const next = createRelay({ apps: [APP] });
  await next.listen(p, '127.0.0.1');
  return { relay: next };
}
