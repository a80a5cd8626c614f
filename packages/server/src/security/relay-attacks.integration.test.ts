import { afterEach, describe, expect, it } from 'vitest';
import { signChannelAuth } from '../realtime/sign-channel-auth';
import { APP, RawClient, sleep, startRelay, waitUntil } from '../../test/kit/relay';
import type { Relay, RelayOptions } from '../relay/types';

/**
 * Attacks on the relay that relay/*.integration.test.ts do not already cover (bad signatures,
 * binary frames, malformed JSON, oversize frames, 4301 floods, public-channel client events,
 * slow readers of published events are there).
 */
let relay: Relay | null = null;
let raws: RawClient[] = [];

async function start(options: Partial<RelayOptions> = {}) {
  const started = await startRelay(options);
  relay = started.relay;
  return started.port;
}

async function open(port: number): Promise<{ c: RawClient; socketId: string }> {
  const c = await RawClient.open(port);
  raws.push(c);
  const established = await c.next('pusher:connection_established');
  return { c, socketId: established.data.socket_id as string };
}

async function subscribe(c: RawClient, socketId: string, channel: string) {
  c.send({ event: 'pusher:subscribe', data: { channel, ...signChannelAuth(APP, socketId, channel) } });
  await c.next('pusher_internal:subscription_succeeded');
}

afterEach(async () => {
  for (const c of raws) c.close();
  raws = [];
  await relay?.close();
  relay = null;
});

describe('relay under attack', () => {
  it("refuses a private channel with an auth signed for the caller's own channel (another user's private channel)", async () => {
    const port = await start();
    const { c, socketId } = await open(port);
    const own = signChannelAuth(APP, socketId, 'private-user.alice');
    c.send({ event: 'pusher:subscribe', data: { channel: 'private-user.bob', ...own } });
    expect((await c.next('pusher:subscription_error')).data).toMatchObject({ type: 'AuthError', status: 401 });
    // Padding and suffix tricks in the channel name do not reuse the signature either.
    for (const channel of ['private-user.alice ', 'private-user.alice,bob', 'private-user.alicex', 'presence-user.alice']) {
      c.send({ event: 'pusher:subscribe', data: { channel, ...own } });
      expect((await c.next('pusher:subscription_error')).data.status).toBeGreaterThanOrEqual(400);
    }
    expect(relay!.stats().subscriptions).toBe(0);
  });

  it('refuses client events on a private channel the socket is not subscribed to, and delivers nothing', async () => {
    const port = await start();
    const victim = await open(port);
    const attacker = await open(port);
    await subscribe(victim.c, victim.socketId, 'private-room');
    attacker.c.send({ event: 'client-spoof', channel: 'private-room', data: { evil: true } });
    expect((await attacker.c.next('pusher:error')).data.message).toMatch(/not subscribed/);
    attacker.c.send({ event: 'client-spoof', channel: 'presence-room', data: {} });
    await attacker.c.next('pusher:error');
    await sleep(100);
    expect(victim.c.messages.filter((m) => m.event === 'client-spoof')).toEqual([]);
    expect(relay!.stats().clientEvents).toBe(0);
  });

  it('holds memory flat under thousands of subscribe requests on one socket', async () => {
    const port = await start();
    const { c } = await open(port);
    // 5,000 subscribe/unsubscribe cycles on one channel leave nothing behind.
    for (let i = 0; i < 5000; i++) {
      c.send({ event: 'pusher:subscribe', data: { channel: 'churn' } });
      c.send({ event: 'pusher:unsubscribe', data: { channel: 'churn' } });
    }
    // 5,000 distinct channels: only the first 100 (the per-connection limit) are kept.
    for (let i = 0; i < 5000; i++) c.send({ event: 'pusher:subscribe', data: { channel: `room-${i}` } });
    c.send({ event: 'pusher:ping', data: {} });
    await c.next('pusher:pong', 15_000);
    expect(relay!.stats()).toMatchObject({ connections: 1, channels: 100, subscriptions: 100, refusedSubscriptions: 4900 });
    c.close();
    await waitUntil('the socket to be gone', (done) => {
      const check = () => (relay!.stats().connections === 0 ? done(undefined) : setTimeout(check, 5));
      check();
    });
    expect(relay!.stats()).toMatchObject({ channels: 0, subscriptions: 0 });
  }, 30_000);

  it('drops a client that floods requests without reading the answers (amplified by presence member lists)', async () => {
    const port = await start({ limits: { maxBufferedBytes: 64 * 1024 } });
    const { c, socketId } = await open(port);
    const other = await open(port);
    const channelData = JSON.stringify({ user_id: 'mallory', user_info: { bio: 'x'.repeat(900) } });
    const subscribeFrame = JSON.stringify({
      event: 'pusher:subscribe',
      data: { channel: 'presence-room', ...signChannelAuth(APP, socketId, 'presence-room', channelData) },
    });
    c.ws.send(subscribeFrame);
    await c.next('pusher_internal:subscription_succeeded');
    (c.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    // Each repeated subscribe answers with the whole member list: ~300 bytes in, ~1 KB out.
    for (let round = 0; round < 400 && relay!.stats().droppedSlowConnections === 0; round++) {
      for (let i = 0; i < 200; i++) c.ws.send(subscribeFrame);
      await sleep(5);
    }
    expect(relay!.stats().droppedSlowConnections).toBe(1);
    other.c.send({ event: 'pusher:ping', data: {} });
    await other.c.next('pusher:pong');
  }, 30_000);
});
