import { afterEach, describe, expect, it } from 'vitest';
import { signChannelAuth } from '../realtime/sign-channel-auth';
import { CLOSE } from './codes';
import { APP, RawClient, sleep, startRelay } from '../../test/kit/relay';
import type { Relay, RelayApp, RelayOptions } from './types';

// Regression, issue 22 finding 5: with only the public key, one IP opened many sockets, each
// subscribed to 100 public channels of 164 characters, and the relay's memory grew with it.

let relay: Relay | null = null;
let raws: RawClient[] = [];
const BANTER_LIKE: RelayApp = { ...APP, publicChannels: false };
const longName = (i: number) => `flood-${i}-`.padEnd(164, 'x');

async function start(options: Partial<RelayOptions> = {}) {
  const started = await startRelay(options);
  relay = started.relay;
  return started.port;
}

/** Opens a socket; resolves with its socket id, or null when the relay closed it at the door. */
async function open(port: number): Promise<{ c: RawClient; socketId: string | null }> {
  const c = await RawClient.open(port);
  raws.push(c);
  const first = await Promise.race([
    c.next('pusher:connection_established').then((m) => m.data.socket_id as string),
    c.closed().then(() => null),
  ]);
  return { c, socketId: first };
}

afterEach(async () => {
  for (const c of raws) c.close();
  raws = [];
  await relay?.close();
  relay = null;
});

describe('relay: unauthenticated connection flood (issue 22 finding 5)', () => {
  it('an app with publicChannels: false refuses public channels and holds nothing for them; private ones still work', async () => {
    const port = await start({ apps: [BANTER_LIKE] });
    const { c, socketId } = await open(port);
    for (let i = 0; i < 100; i++) c.send({ event: 'pusher:subscribe', data: { channel: longName(i) } });
    for (let i = 0; i < 100; i++) {
      expect((await c.next('pusher:subscription_error')).data).toMatchObject({ type: 'AuthError', status: 403 });
    }
    expect(relay!.stats()).toMatchObject({ channels: 0, subscriptions: 0, channelNameBytes: 0, pendingConnections: 1 });
    c.send({ event: 'pusher:subscribe', data: { channel: 'private-user.ann', ...signChannelAuth(APP, socketId!, 'private-user.ann') } });
    await c.next('pusher_internal:subscription_succeeded');
    expect(relay!.stats()).toMatchObject({ channels: 1, pendingConnections: 0 });
  });

  it('caps connections per IP: past maxConnectionsPerIp the relay closes with 4100 and holds no more', async () => {
    const port = await start({ apps: [BANTER_LIKE], limits: { maxConnectionsPerIp: 10 } });
    const results = await Promise.all(Array.from({ length: 25 }, () => open(port)));
    const accepted = results.filter((r) => r.socketId !== null);
    expect(accepted).toHaveLength(10);
    for (const r of results.filter((r) => r.socketId === null)) expect(r.c.closeCode).toBe(CLOSE.overCapacity);
    expect(relay!.stats().connections).toBe(10);
    expect(relay!.stats().refusedConnections).toBe(15);
    // Closing one makes room for one more from the same address.
    accepted[0]!.c.ws.close();
    await accepted[0]!.c.closed();
    await sleep(20);
    expect((await open(port)).socketId).not.toBeNull();
  });

  it('caps pending (never subscribed) connections; a subscription frees the slot', async () => {
    const port = await start({ limits: { maxPendingConnections: 3 } });
    const first = await open(port);
    await open(port);
    await open(port);
    const fourth = await open(port);
    expect(fourth.socketId).toBeNull();
    expect(fourth.c.closeCode).toBe(CLOSE.overCapacity);
    first.c.send({ event: 'pusher:subscribe', data: { channel: 'private-a', ...signChannelAuth(APP, first.socketId!, 'private-a') } });
    await first.c.next('pusher_internal:subscription_succeeded');
    expect(relay!.stats().pendingConnections).toBe(2);
    expect((await open(port)).socketId).not.toBeNull();
  });

  it('closes a socket that never subscribes after pendingTimeoutMs with 4202; a subscribed one stays', async () => {
    const port = await start({ limits: { pendingTimeoutMs: 200 } });
    const idle = await open(port);
    const busy = await open(port);
    busy.c.send({ event: 'pusher:subscribe', data: { channel: 'private-b', ...signChannelAuth(APP, busy.socketId!, 'private-b') } });
    await busy.c.next('pusher_internal:subscription_succeeded');
    expect(await idle.c.closed(2000)).toBe(CLOSE.inactive);
    expect(busy.c.closeCode).toBeNull();
    expect(relay!.stats()).toMatchObject({ connections: 1, pendingConnections: 0, droppedPendingConnections: 1 });
  });

  it("caps the relay's channel-name memory: a new channel past maxChannelNameBytes is refused; existing ones still join", async () => {
    const port = await start({ limits: { maxChannelNameBytes: 1000 } });
    const a = await open(port);
    const b = await open(port);
    for (let i = 0; i < 6; i++) a.c.send({ event: 'pusher:subscribe', data: { channel: longName(i) } });
    for (let i = 0; i < 6; i++) await a.c.next('pusher_internal:subscription_succeeded');
    expect(relay!.stats().channelNameBytes).toBe(984);
    b.c.send({ event: 'pusher:subscribe', data: { channel: longName(6) } });
    expect((await b.c.next('pusher:subscription_error')).data).toMatchObject({ type: 'LimitReached', status: 503 });
    b.c.send({ event: 'pusher:subscribe', data: { channel: longName(0) } });
    await b.c.next('pusher_internal:subscription_succeeded');
    expect(relay!.stats()).toMatchObject({ channels: 6, subscriptions: 7, channelNameBytes: 984 });
    // Memory comes back when channels empty.
    a.c.close();
    b.c.close();
    await sleep(50);
    expect(relay!.stats()).toMatchObject({ channels: 0, subscriptions: 0, channelNameBytes: 0, connections: 0 });
  });

  it('the flood, bounded: 3 x maxConnectionsPerIp sockets x 100 public 164-char channels leave the relay holding at most the cap', async () => {
    const port = await start({ apps: [BANTER_LIKE], limits: { maxConnectionsPerIp: 20, pendingTimeoutMs: 2000 } });
    const results = await Promise.all(Array.from({ length: 60 }, () => open(port)));
    for (const r of results) {
      if (r.socketId) for (let i = 0; i < 100; i++) r.c.send({ event: 'pusher:subscribe', data: { channel: longName(i) } });
    }
    expect(results.filter((r) => r.socketId !== null)).toHaveLength(20);
    await sleep(50);
    expect(relay!.stats()).toMatchObject({ channels: 0, subscriptions: 0, channelNameBytes: 0 });
    expect(relay!.stats().connections).toBeLessThanOrEqual(20);
    // And the sockets that only hold a connection are gone after the pending timeout.
    for (let i = 0; i < 100 && relay!.stats().connections > 0; i++) await sleep(50);
    expect(relay!.stats()).toMatchObject({ connections: 0, droppedPendingConnections: 20 });
  }, 15_000);
});
