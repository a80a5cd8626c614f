import type Pusher from 'pusher-js';
import { afterEach, describe, expect, it } from 'vitest';
import { collect, connected, nextEvent, pusherClient, relaySdk, sleep, startRelay, subscribed } from '../../test/kit/relay';
import type { Relay } from './types';

// The HTTP API's `info` on triggers and the documented refusals, through the real pusher SDK.

let relay: Relay | null = null;
let clients: Pusher[] = [];

afterEach(async () => {
  for (const c of clients) c.disconnect();
  clients = [];
  await relay?.close();
  relay = null;
});

async function start() {
  const started = await startRelay();
  relay = started.relay;
  const sdk = relaySdk(started.port);
  const client = (user?: string) => {
    const c = pusherClient(started.port, user ? { user: { user_id: user } } : {});
    clients.push(c);
    return c;
  };
  return { sdk, client };
}

describe('relay HTTP API: info and exclusions', () => {
  it('trigger with info answers the channels attributes; batch with info answers one entry per event', async () => {
    const { sdk, client } = await start();
    await subscribed(client('ann'), 'presence-room');
    await subscribed(client('bob'), 'presence-room');
    const res = await sdk.trigger('presence-room', 'e', {}, { info: 'user_count,subscription_count' });
    expect(await res.json()).toEqual({ channels: { 'presence-room': { user_count: 2, subscription_count: 2 } } });
    const batch = await sdk.triggerBatch([
      { channel: 'presence-room', name: 'e', data: {}, info: 'subscription_count' },
      { channel: 'private-empty', name: 'e', data: {}, info: 'subscription_count' },
    ] as never);
    expect(await batch.json()).toEqual({ batch: [{ subscription_count: 2 }, { subscription_count: 0 }] });
    expect(await (await sdk.trigger('presence-room', 'e', {})).json()).toEqual({});
  });

  it('socket_id excludes that connection from a trigger and from a batch event', async () => {
    const { sdk, client } = await start();
    const sender = client();
    const other = client();
    const senderChannel = await subscribed(sender, 'private-room');
    const otherChannel = await subscribed(other, 'private-room');
    const socketId = await connected(sender);
    const seen = collect(senderChannel, 'e');
    const got = nextEvent(otherChannel, 'e');
    await sdk.trigger('private-room', 'e', { n: 1 }, { socket_id: socketId });
    await got;
    const got2 = nextEvent(otherChannel, 'e');
    await sdk.triggerBatch([{ channel: 'private-room', name: 'e', data: { n: 2 }, socket_id: socketId }] as never);
    await got2;
    await sleep(50);
    expect(seen).toEqual([]);
  });

  it('refuses user_count on non-presence channels and unknown info attributes with 400', async () => {
    const { sdk } = await start();
    const status = (p: Promise<unknown>) =>
      p.then(
        () => 200,
        (e: { status?: number }) => e.status,
      );
    expect(await status(sdk.get({ path: '/channels', params: { info: 'user_count' } }))).toBe(400);
    expect(await status(sdk.get({ path: '/channels', params: { info: 'bogus' } }))).toBe(400);
    expect(await status(sdk.trigger('private-room', 'e', {}, { info: 'user_count' }))).toBe(400);
    expect(await status(sdk.get({ path: '/channels/private-room', params: { info: 'user_count' } }))).toBe(400);
  });
});
