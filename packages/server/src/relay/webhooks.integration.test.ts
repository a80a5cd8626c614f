import { createServer, type Server } from 'node:http';
import type Pusher from 'pusher-js';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Relay } from './types';
import { connected, pusherClient, relaySdk, startRelay, subscribed } from '../../test/kit/relay';
import { until } from '../../test/kit/until';

let receiver: Server;
let relay: Relay;
let port: number;
let clients: Pusher[] = [];
const received: Array<{ valid: boolean; events: Array<Record<string, unknown>> }> = [];

beforeEach(async () => {
  received.length = 0;
  const sdk = relaySdk();
  receiver = createServer((req, res) => {
    let rawBody = '';
    req.on('data', (chunk) => (rawBody += chunk));
    req.on('end', () => {
      // The pusher SDK's own check: X-Pusher-Key, X-Pusher-Signature over the raw body.
      const webhook = sdk.webhook({ headers: req.headers, rawBody });
      received.push({ valid: webhook.isValid(), events: webhook.getEvents() as unknown as Array<Record<string, unknown>> });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`;
  ({ relay, port } = await startRelay({ webhooks: { url, batchMs: 10 } }));
});

afterEach(async () => {
  for (const c of clients) c.disconnect();
  clients = [];
  await relay.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

function events() {
  return received.flatMap((r) => r.events);
}

it('sends signed Pusher webhooks for occupancy, presence and client events', async () => {
  const ann = pusherClient(port, { user: { user_id: 'ann' } });
  const bob = pusherClient(port, { user: { user_id: 'bob' } });
  clients.push(ann, bob);
  const annChannel = await subscribed(ann, 'presence-conversation.1');
  await subscribed(bob, 'presence-conversation.1');
  const annSocket = await connected(ann);
  annChannel.trigger('client-typing', { userId: 'ann' });
  await until('client_event webhook', () => events().some((e) => e.name === 'client_event'));
  ann.disconnect();
  bob.disconnect();
  await until('channel_vacated webhook', () => events().some((e) => e.name === 'channel_vacated'));

  expect(received.every((r) => r.valid)).toBe(true);
  expect(events().map((e) => e.name)).toEqual([
    'channel_occupied',
    'member_added',
    'member_added',
    'client_event',
    'member_removed',
    'member_removed',
    'channel_vacated',
  ]);
  expect(events().find((e) => e.name === 'client_event')).toEqual({
    name: 'client_event',
    channel: 'presence-conversation.1',
    event: 'client-typing',
    data: '{"userId":"ann"}',
    socket_id: annSocket,
    user_id: 'ann',
  });
  expect(relay.stats().webhookFailures).toBe(0);
});
