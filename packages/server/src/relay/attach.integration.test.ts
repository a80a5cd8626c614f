import { createServer, type Server } from 'node:http';
import type Pusher from 'pusher-js';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createRelay } from './create-relay';
import type { Relay } from './types';
import { APP, pusherClient, relaySdk, subscribed, waitUntil } from '../../test/kit/relay';

let server: Server;
let relay: Relay;
let port: number;
let client: Pusher | null = null;

beforeEach(async () => {
  relay = createRelay({ apps: [APP] });
  // The standalone server's shape: one port for the API and the relay.
  server = createServer((req, res) => {
    if (relay.handleHttp(req, res)) return;
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(`api ${req.url}`);
  });
  relay.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterEach(async () => {
  client?.disconnect();
  client = null;
  await relay.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it('serves WebSocket, HTTP API and the host app on one port', async () => {
  client = pusherClient(port);
  const channel = await subscribed(client, 'private-user.ann');
  const received = waitUntil('the event', (done) => channel.bind('message.created', done));
  const sdk = relaySdk(port);
  await sdk.trigger('private-user.ann', 'message.created', { seq: 1 });
  expect(await received).toEqual({ seq: 1 });
  expect(await (await fetch(`http://127.0.0.1:${port}/api/health`)).text()).toBe('api /api/health');
});

it('does not leave an upgrade for another path hanging, and leaves the host server up after close()', async () => {
  const other = new WebSocket(`ws://127.0.0.1:${port}/elsewhere`);
  await waitUntil('the refused upgrade', (done) => other.on('error', done));
  await relay.close();
  expect(await (await fetch(`http://127.0.0.1:${port}/api/x`)).text()).toBe('api /api/x');
});
