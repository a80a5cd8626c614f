import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { signChannelAuth } from '../realtime/sign-channel-auth';
import type { Relay, RelayOptions } from './types';
import { APP, RawClient, startRelay, waitUntil } from '../../test/kit/relay';

let relay: Relay | null = null;
let raws: RawClient[] = [];

async function start(options: Partial<RelayOptions> = {}) {
  const started = await startRelay(options);
  relay = started.relay;
  return started;
}

async function open(port: number, path?: string, options?: object): Promise<RawClient> {
  const c = await RawClient.open(port, path, options);
  raws.push(c);
  return c;
}

/** Connected and past connection_established; returns the socket id. */
async function ready(c: RawClient): Promise<string> {
  const established = await c.next('pusher:connection_established');
  return established.data.socket_id as string;
}

/** The connection still works: a ping gets its pong. */
async function stillAlive(c: RawClient) {
  c.send({ event: 'pusher:ping', data: {} });
  await c.next('pusher:pong');
}

afterEach(async () => {
  for (const c of raws) c.close();
  raws = [];
  await relay?.close();
  relay = null;
});

describe('relay protocol edges (bare WebSocket)', () => {
  it('announces activity_timeout and answers pusher:ping', async () => {
    const { port } = await start({ activityTimeout: 30 });
    const c = await open(port);
    const established = await c.next('pusher:connection_established');
    expect(established.data).toEqual({ socket_id: expect.stringMatching(/^\d+\.\d+$/), activity_timeout: 30 });
    await stillAlive(c);
  });

  it('closes an unknown app key with 4001, a missing protocol with 4008, an unsupported one with 4007', async () => {
    const { port } = await start();
    const unknown = await open(port, '/app/nope?protocol=7');
    expect((await unknown.next('pusher:error')).data.code).toBe(4001);
    expect(await unknown.closed()).toBe(4001);
    expect(await (await open(port, `/app/${APP.key}`)).closed()).toBe(4008);
    // Regression: a malformed %-escape in the key threw inside ws's upgrade callback.
    expect(await (await open(port, '/app/%E0%A4%A?protocol=7')).closed()).toBe(4001);
    expect(await (await open(port, `/app/${APP.key}?protocol=3`)).closed()).toBe(4007);
    expect(relay!.stats().connections).toBe(0);
  });

  it('answers binary frames, malformed JSON and shapeless messages with pusher:error, without closing', async () => {
    const { port } = await start();
    const c = await open(port);
    await ready(c);
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await c.next('pusher:error')).data).toMatchObject({ code: 4300, message: expect.stringMatching(/Binary/) });
    c.send('{"event": "pusher:subscribe", ');
    expect((await c.next('pusher:error')).data).toMatchObject({ code: 4300, message: 'Invalid JSON' });
    for (const bad of [
      'null',
      '42',
      '"x"',
      '{"event": 5}',
      '{"event":"pusher:subscribe"}',
      '{"event":"pusher:subscribe","data":{"channel":7}}',
    ]) {
      c.send(bad);
      await c.next('pusher:error');
    }
    await stillAlive(c);
    expect(c.closeCode).toBeNull();
  });

  it('survives arbitrary protocol-shaped garbage without closing or crashing', async () => {
    const { port } = await start();
    const c = await open(port);
    await ready(c);
    // Not pusher:signin: a refused sign-in closes the connection with 4009 by design (user-auth tests).
    const events = fc.constantFrom('pusher:subscribe', 'pusher:unsubscribe', 'pusher:ping', 'client-x', 'x');
    const channels = fc.oneof(fc.constantFrom('room', 'private-a', 'presence-a', 'private-encrypted-a'), fc.string(), fc.anything());
    const message = fc.oneof(
      fc.record(
        {
          event: events,
          channel: channels,
          data: fc.oneof(
            fc.anything(),
            fc.record({ channel: channels, auth: fc.anything(), channel_data: fc.oneof(fc.json(), fc.anything()) }),
          ),
        },
        { requiredKeys: [] },
      ),
      fc.json(),
      fc.string(),
    );
    for (const m of fc.sample(message, { numRuns: 300, seed: 7 })) c.send(typeof m === 'string' ? m : JSON.stringify(m));
    await stillAlive(c);
    expect(c.closeCode).toBeNull();
    expect(relay!.stats().connections).toBe(1);
  });

  it('closes a connection that sends a frame over maxFrameBytes (1009) and keeps serving others', async () => {
    const { port } = await start({ limits: { maxFrameBytes: 4096 } });
    const big = await open(port);
    const other = await open(port);
    await ready(big);
    await ready(other);
    big.send({ event: 'client-x', channel: 'private-a', data: 'x'.repeat(5000) });
    expect(await big.closed()).toBe(1009);
    await stillAlive(other);
  });

  it('refuses bad channel names, bad auth, missing channel_data and more channels than allowed', async () => {
    const { port } = await start({ limits: { maxChannelsPerConnection: 2 } });
    const c = await open(port);
    const socketId = await ready(c);
    c.send({ event: 'pusher:subscribe', data: { channel: 'bad name!' } });
    expect((await c.next('pusher:subscription_error')).data).toMatchObject({ status: 400 });
    c.send({ event: 'pusher:subscribe', data: { channel: 'private-a', auth: `${APP.key}:deadbeef` } });
    expect((await c.next('pusher:subscription_error')).data).toMatchObject({ type: 'AuthError', status: 401 });
    // Signed for another socket: a stolen auth string is useless.
    c.send({ event: 'pusher:subscribe', data: { channel: 'private-a', ...signChannelAuth(APP, '1.2', 'private-a') } });
    expect((await c.next('pusher:subscription_error')).data).toMatchObject({ type: 'AuthError' });
    c.send({ event: 'pusher:subscribe', data: { channel: 'presence-a', auth: signChannelAuth(APP, socketId, 'private-a').auth } });
    expect((await c.next('pusher:subscription_error')).data).toMatchObject({ type: 'AuthError' });
    c.send({ event: 'pusher:subscribe', data: { channel: 'one' } });
    c.send({ event: 'pusher:subscribe', data: { channel: 'two' } });
    c.send({ event: 'pusher:subscribe', data: { channel: 'three' } });
    expect((await c.next('pusher:subscription_error')).data).toMatchObject({ type: 'LimitReached' });
    expect(relay!.stats()).toMatchObject({ subscriptions: 2, refusedSubscriptions: 5 });
  });

  it('drops a connection that stops answering pings, keeps one that answers', async () => {
    const { port } = await start({ activityTimeout: 0.1 });
    const silent = await open(port, undefined, { autoPong: false });
    const healthy = await open(port);
    await ready(silent);
    await ready(healthy);
    expect(await silent.closed()).toBe(1006);
    expect(relay!.stats().droppedDeadConnections).toBe(1);
    await stillAlive(healthy);
    expect(relay!.stats().connections).toBe(1);
  });

  it('drops a slow reader whose send buffer passes the limit, and keeps delivering to the others', async () => {
    const { port } = await start({ limits: { maxBufferedBytes: 64 * 1024 } });
    const slow = await open(port);
    const fast = await open(port);
    for (const c of [slow, fast]) {
      await ready(c);
      c.send({ event: 'pusher:subscribe', data: { channel: 'room' } });
      await c.next('pusher_internal:subscription_succeeded');
    }
    // The slow client stops reading: the kernel buffers fill, then the relay's.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const data = 'y'.repeat(8 * 1024);
    let fastReceived = 0;
    fast.ws.on('message', () => fastReceived++);
    for (let i = 0; i < 4000 && relay!.stats().droppedSlowConnections === 0; i++) {
      relay!.publish('room', 'message.created', data);
      if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(relay!.stats().droppedSlowConnections).toBe(1);
    await waitUntil('the slow socket to be gone', (done) => {
      const check = () => (relay!.stats().connections === 1 ? done(undefined) : setTimeout(check, 5));
      check();
    });
    await stillAlive(fast);
    expect(fastReceived).toBeGreaterThan(0);
  });

  it('closes every connection with 1001 (going away) on close()', async () => {
    const { port } = await start();
    const c = await open(port);
    await ready(c);
    await relay!.close();
    expect(await c.closed()).toBe(1001);
  });
});
