import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { userChannel } from '@banter/core/protocol';
import type Pusher from 'pusher-js';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type ChatServer, type ChatServerOptions, createChatServer } from '../chat-server';
import { pusherBroadcaster } from '../realtime/pusher-broadcaster';
import type { Relay } from '../relay/types';
import { describeEachDatabase, useTestDatabase } from '../../test/kit/describe-each-database';
import { APP, connected, pusherClient, startRelay, subscribed } from '../../test/kit/relay';
import { TEST_SECRET } from '../../test/kit/test-server';
import { until } from '../../test/kit/until';
import { outboxMetrics } from './metrics';

/**
 * The relay behind a proxy that sees every `/batch_events` call the `pusher` SDK makes, and can
 * refuse some (503, nothing forwarded) as an overloaded hosted Pusher would.
 */
async function countingProxy(target: number) {
  const calls: number[] = [];
  let refuse = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url?.includes('/batch_events')) {
        if (refuse > 0) {
          refuse--;
          res.writeHead(503).end('overloaded');
          return;
        }
        calls.push((JSON.parse(body.toString()) as { batch: unknown[] }).batch.length);
      }
      const upstream = request({ host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    calls,
    refuseNext(n: number) {
      refuse = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describeEachDatabase('Pusher-protocol delivery in batches of 10 (issue 17)', (target) => {
  const db = useTestDatabase(target);
  let relay: Relay;
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  let client: Pusher;
  const servers: ChatServer[] = [];
  beforeEach(async () => {
    const started = await startRelay();
    relay = started.relay;
    proxy = await countingProxy(started.port);
    client = pusherClient(started.port);
    await connected(client);
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
    client.disconnect();
    await proxy.close();
    await relay.close();
  });

  function instance(options: Partial<ChatServerOptions>): ChatServer {
    const broadcaster = pusherBroadcaster({
      appId: APP.id,
      key: APP.key,
      secret: APP.secret,
      host: '127.0.0.1',
      port: proxy.port,
      useTLS: false,
    });
    const server = createChatServer({ database: db(), secret: TEST_SECRET, migrate: false, onError: () => {}, broadcaster, ...options });
    servers.push(server);
    return server;
  }

  /** A group of `size` with every member's channel subscribed; what each receives, by seq. */
  async function group(chat: ChatServer, size: number) {
    const run = Math.random().toString(36).slice(2, 8);
    const members = Array.from({ length: size }, (_, i) => `m${i}-${run}`);
    const received = new Map<string, number[]>(members.map((m) => [m, []]));
    for (const member of members) {
      const channel = await subscribed(client, userChannel(member));
      channel.bind('message.created', (data: { seq: number }) => received.get(member)!.push(data.seq));
    }
    const { conversation } = await chat.api.createConversation({
      createdBy: members[0]!,
      participantIds: members.slice(1),
      title: 'batch',
    });
    const send = (body: string) => chat.api.sendMessage({ conversationId: conversation.id, senderId: members[0]!, body });
    return { members, received, send };
  }

  it('the fast path publishes a message to a group of 25 in ceil(25 / 10) = 3 batch calls', async () => {
    const chat = instance({ dispatcher: { pollIntervalMs: 60_000, listen: false } });
    const g = await group(chat, 25);
    await until('the conversation events', async () => (await outboxMetrics(db())).pending === 0);
    proxy.calls.length = 0;
    await g.send('hello');
    await until('everyone has it', () => [...g.received.values()].every((seqs) => seqs.length === 1));
    expect([...proxy.calls].sort((a, b) => b - a)).toEqual([10, 10, 5]);
  });

  it('the sweep sends N pending rows in ceil(N / 10) batch calls', async () => {
    const writer = instance({ dispatch: false });
    const g = await group(writer, 20);
    await g.send('one');
    await g.send('two');
    const pending = (await outboxMetrics(db())).pending;
    expect(pending).toBeGreaterThanOrEqual(40);
    instance({ dispatcher: { pollIntervalMs: 60_000, fastPathGraceMs: 1, listen: false } });
    await until('everyone has both', () => [...g.received.values()].every((seqs) => seqs.length === 2));
    await until('nothing pending', async () => (await outboxMetrics(db())).pending === 0);
    expect(proxy.calls.reduce((a, b) => a + b, 0)).toBe(pending);
    expect(proxy.calls).toHaveLength(Math.ceil(pending / 10));
  });

  it('a refused batch is retried by the sweep: every member gets every message exactly once', async () => {
    const chat = instance({
      dispatcher: { pollIntervalMs: 200, fastPathGraceMs: 100, listen: false, backoffBaseMs: 20, backoffCapMs: 50 },
    });
    const g = await group(chat, 25);
    await until('the conversation events', async () => (await outboxMetrics(db())).pending === 0);
    proxy.refuseNext(1);
    await g.send('one');
    await g.send('two');
    await until('everyone has both', () => [...g.received.values()].every((seqs) => seqs.length >= 2), 10_000);
    await until('nothing pending', async () => (await outboxMetrics(db())).pending === 0);
    for (const seqs of g.received.values()) expect([...seqs].sort()).toEqual([1, 2]);
    expect(chat.dispatcher!.stats().failedAttempts).toBe(10);
  });
});
