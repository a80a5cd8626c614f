import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { signChannelAuth } from '../realtime/sign-channel-auth';
import { CLOSE } from './codes';
import { APP, pusherClient, RawClient, relaySdk, sleep, startRelay, waitUntil } from '../../test/kit/relay';
import type { Relay, RelayApp } from './types';

// Per-app settings as hosted Pusher and Soketi offer them (issue 18).

let relay: Relay | null = null;
let raws: RawClient[] = [];
let receiver: Server | null = null;

afterEach(async () => {
  for (const c of raws) c.close();
  raws = [];
  await relay?.close();
  relay = null;
  receiver?.closeAllConnections();
  receiver?.close();
  receiver = null;
});

async function start(app: Partial<RelayApp>) {
  const started = await startRelay({ apps: [{ ...APP, ...app }] });
  relay = started.relay;
  return started.port;
}

async function open(port: number) {
  const c = await RawClient.open(port);
  raws.push(c);
  return c;
}

async function ready(port: number) {
  const c = await open(port);
  const socketId = (await c.next('pusher:connection_established')).data.socket_id as string;
  return { c, socketId };
}

const sdk = (port: number) => relaySdk(port);

describe('relay: per-app settings', () => {
  it('a disabled app refuses connections with 4003 and its HTTP API with 403', async () => {
    const port = await start({ enabled: false });
    const c = await open(port);
    expect((await c.next('pusher:error')).data.code).toBe(CLOSE.appDisabled);
    expect(await c.closed()).toBe(CLOSE.appDisabled);
    await expect(sdk(port).trigger('private-a', 'e', {})).rejects.toMatchObject({ status: 403 });
    expect(relay!.stats()).toMatchObject({ connections: 0, refusedConnections: 1 });
  });

  it('pusher-js against a disabled app: the 4003 error (App is disabled), and it disconnects (pusher-js: refused)', async () => {
    const port = await start({ enabled: false });
    const pusher = pusherClient(port);
    try {
      const error = await waitUntil<{ error?: { data?: unknown } }>('pusher-js error', (done) => pusher.connection.bind('error', done));
      expect(error.error?.data).toEqual({ code: CLOSE.appDisabled, message: 'App is disabled' });
      await waitUntil('disconnected', (done) =>
        pusher.connection.state === 'disconnected' ? done(null) : pusher.connection.bind('disconnected', () => done(null)),
      );
      expect(relay!.stats().refusedConnections).toBe(1);
    } finally {
      pusher.disconnect();
    }
  });

  it('clientEvents: false refuses client events and relays nothing', async () => {
    const port = await start({ clientEvents: false });
    const a = await ready(port);
    const b = await ready(port);
    for (const x of [a, b]) {
      x.c.send({ event: 'pusher:subscribe', data: { channel: 'private-room', ...signChannelAuth(APP, x.socketId, 'private-room') } });
      await x.c.next('pusher_internal:subscription_succeeded');
    }
    a.c.send({ event: 'client-typing', channel: 'private-room', data: {} });
    expect((await a.c.next('pusher:error')).data.message).toMatch(/disabled/);
    await sleep(50);
    expect(b.c.messages.filter((m) => m.event === 'client-typing')).toEqual([]);
  });

  it('maxConnections per app: past it, 4004 (over quota)', async () => {
    const port = await start({ maxConnections: 2 });
    await ready(port);
    await ready(port);
    const third = await open(port);
    expect(await third.closed()).toBe(CLOSE.overQuota);
  });

  it('maxChannelNameLength, maxChannelsPerConnection and maxClientEventsPerSecond per app', async () => {
    const port = await start({ maxChannelNameLength: 20, maxChannelsPerConnection: 2, maxClientEventsPerSecond: 1 });
    const { c, socketId } = await ready(port);
    c.send({ event: 'pusher:subscribe', data: { channel: 'x'.repeat(21) } });
    expect((await c.next('pusher:subscription_error')).data).toMatchObject({ type: 'InvalidChannel', status: 400 });
    for (const channel of ['private-a', 'private-b', 'private-c']) {
      c.send({ event: 'pusher:subscribe', data: { channel, ...signChannelAuth(APP, socketId, channel) } });
    }
    await c.next('pusher_internal:subscription_succeeded');
    await c.next('pusher_internal:subscription_succeeded');
    expect((await c.next('pusher:subscription_error')).data).toMatchObject({ type: 'LimitReached' });
    c.send({ event: 'client-x', channel: 'private-a', data: {} });
    c.send({ event: 'client-x', channel: 'private-a', data: {} });
    expect((await c.next('pusher:error')).data.code).toBe(4301);
  });

  it('webhooks per app, filtered by channel-name prefix and by event', async () => {
    const received: Array<{ name: string; channel: string }> = [];
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(...(JSON.parse(body) as { events: Array<{ name: string; channel: string }> }).events);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/`;
    const port = await start({ webhooks: { url, batchMs: 10, channelPrefixes: ['private-watched'], events: ['channel_occupied'] } });
    const { c, socketId } = await ready(port);
    for (const channel of ['private-watched.1', 'private-other']) {
      c.send({ event: 'pusher:subscribe', data: { channel, ...signChannelAuth(APP, socketId, channel) } });
      await c.next('pusher_internal:subscription_succeeded');
    }
    c.ws.close();
    await waitUntil('the webhook', (done) => {
      const t = setInterval(() => received.length > 0 && (clearInterval(t), done(null)), 10);
    });
    await sleep(100);
    expect(received).toEqual([expect.objectContaining({ name: 'channel_occupied', channel: 'private-watched.1' })]);
  });
});
