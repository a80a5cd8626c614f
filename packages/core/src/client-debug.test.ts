import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeTransport, ReferenceServer } from '../test/reference-server';
import { createClientCore } from './client';
import { BanterError } from './errors';
import type { HttpApi } from './http';
import type { ChatClient } from './index';
import { selectMessages } from './selectors';

const clients: ChatClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  vi.restoreAllMocks();
});

async function setup(debug: boolean) {
  const info = vi.spyOn(console, 'info').mockImplementation(() => {});
  const server = new ReferenceServer();
  server.addUser('alice');
  server.addUser('bob');
  const transport = new FakeTransport();
  server.onEvent = (userId, name, data) => {
    if (userId === 'alice') transport.deliver(name, data);
  };
  const base = server.http('alice');
  let failSends = 0;
  const http: HttpApi = {
    ...base,
    async sendMessage(id, body) {
      if (failSends > 0) {
        failSends--;
        throw new BanterError('network', 'unable to reach the chat server');
      }
      return base.sendMessage(id, body);
    },
  };
  const client = createClientCore({
    http,
    connectRealtime: async () => transport,
    debug,
    timings: { readDebounce: 0, sendBackoff: () => 5 },
  });
  clients.push(client);
  await client.ready;
  transport.setState('connected');
  await vi.waitFor(() => expect(client.connection.state).toBe('connected'));
  const lines = () => info.mock.calls.filter((call) => call[0] === '[banter]').map((call) => call.slice(1).map(String).join(' '));
  return { server, transport, client, lines, failNextSends: (n: number) => (failSends = n) };
}

describe('createChatClient({ debug: true })', () => {
  it('logs connection changes, the subscription, gap fills and send retries; keeps the state history', async () => {
    const { server, transport, client, lines, failNextSends } = await setup(true);
    await vi.waitFor(() => expect(lines()).toContain('subscribed private-user.alice'));
    expect(lines()).toContain('subscribing private-user.alice');
    expect(lines()).toContain('connection connecting -> connected');

    const id = server.createConversation(['alice', 'bob']);
    await client.messages.load(id);
    // Seq 1 and 2 are lost on the way; seq 3 arrives: the client fills the gap.
    const deliver = server.onEvent;
    server.onEvent = () => {};
    server.send(id, 'bob', 'b1', 'one');
    server.send(id, 'bob', 'b2', 'two');
    server.onEvent = deliver;
    server.send(id, 'bob', 'b3', 'three');
    await vi.waitFor(() => expect(selectMessages(client.store.getSnapshot(), id).map((m) => m.seq)).toEqual([1, 2, 3]));
    expect(lines().some((line) => line.startsWith(`gap fill: conversation ${id} after seq`))).toBe(true);

    failNextSends(1);
    client.messages.send(id, 'hello');
    await vi.waitFor(() => expect(server.conversations.get(id)!.messages.map((m) => m.body)).toContain('hello'));
    expect(lines().some((line) => /^send retry: conversation .*, attempt 2 in 5 ms \(unable to reach the chat server\)$/.test(line))).toBe(
      true,
    );

    transport.setState('offline');
    transport.setState('connected');
    await vi.waitFor(() => expect(lines()).toContain('connection offline -> connected'));
    expect(lines()).toContain('connection connected -> offline');
    expect(client.connection.history.map((h) => h.state)).toEqual(['connecting', 'connected', 'offline', 'connected']);
    // Never the message text: what is logged is routing, not content.
    expect(lines().join('\n')).not.toMatch(/hello|three/);
  });

  it('logs nothing without debug', async () => {
    const { lines, transport } = await setup(false);
    transport.setState('offline');
    expect(lines()).toEqual([]);
  });
});
