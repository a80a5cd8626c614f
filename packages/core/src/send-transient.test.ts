import { afterEach, expect, it, vi } from 'vitest';
import { FakeTransport, ReferenceServer } from '../test/reference-server';
import { createClientCore } from './client';
import { BanterError } from './errors';
import { selectMessages } from './selectors';
import type { ChatClient } from './types';

const clients: ChatClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

// Regression (found by the chaos run): a send answered 503 while the server restarted (or 429 when
// over the send limit) was marked failed for the user to retry by hand; it now waits and goes out.
it.each([
  ['unavailable', 503],
  ['rate_limited', 429],
] as const)('keeps a send answered %s (%i) in line and sends it, in order, once the server answers', async (code, status) => {
  const server = new ReferenceServer();
  server.addUser('alice');
  server.addUser('bob');
  const transport = new FakeTransport();
  const base = server.http('alice');
  let refusals = 2;
  const errors: string[] = [];
  const client = createClientCore({
    http: {
      ...base,
      sendMessage: (id, body) => {
        if (refusals > 0) {
          refusals--;
          return Promise.reject(new BanterError(code, 'try again shortly', { status }));
        }
        return base.sendMessage(id, body);
      },
    },
    connectRealtime: async () => transport,
    timings: { readDebounce: 0, sendBackoff: () => 10 },
  });
  clients.push(client);
  client.on('error', ({ error }) => errors.push(error.code));
  await client.ready;
  transport.setState('connected');
  const id = server.createConversation(['alice', 'bob']);
  await client.messages.load(id);
  client.messages.send(id, 'one');
  client.messages.send(id, 'two');
  await vi.waitFor(() =>
    expect(selectMessages(client.store.getSnapshot(), id).map((m) => [m.body, m.status])).toEqual([
      ['one', 'sent'],
      ['two', 'sent'],
    ]),
  );
  expect(server.conversations.get(id)!.messages.map((m) => m.body)).toEqual(['one', 'two']);
  expect(errors).toEqual([]);
});

// Regression: markRead moves the cursor at once; a read the server never got (a restart) left this
// client ahead of the server and of everyone else's receipts for good. Passing failures are retried.
it('retries a read answered 503 until the server has the cursor the client shows', async () => {
  const server = new ReferenceServer();
  server.addUser('alice');
  server.addUser('bob');
  const transport = new FakeTransport();
  const base = server.http('alice');
  let refusals = 2;
  const client = createClientCore({
    http: {
      ...base,
      markRead: (id, seq) => {
        if (refusals > 0) {
          refusals--;
          return Promise.reject(new BanterError('unavailable', 'restarting', { status: 503 }));
        }
        return base.markRead(id, seq);
      },
    },
    connectRealtime: async () => transport,
    timings: { readDebounce: 0, sendBackoff: () => 10 },
  });
  clients.push(client);
  await client.ready;
  transport.setState('connected');
  const id = server.createConversation(['alice', 'bob']);
  server.send(id, 'bob', 'b1', 'one');
  server.send(id, 'bob', 'b2', 'two');
  await client.messages.load(id);
  await client.markRead(id);
  const mine = server.conversations.get(id)!.conversation.participants.find((p) => p.user.id === 'alice')!;
  expect(mine.lastReadSeq).toBe(2);
  expect(client.store.getSnapshot().conversations[id]!.conversation).toMatchObject({ lastReadSeq: 2, unreadCount: 0 });
});

// Regression: the retry timer forgot the attempt count, so a send refused again and again waited the
// first backoff step every time instead of backing off further.
it('backs off further with each passing failure of the same send, and starts over after a success', async () => {
  const server = new ReferenceServer();
  server.addUser('alice');
  server.addUser('bob');
  const transport = new FakeTransport();
  const base = server.http('alice');
  let refusals = 3;
  const attempts: number[] = [];
  const client = createClientCore({
    http: {
      ...base,
      sendMessage: (id, body) => {
        if (refusals > 0) {
          refusals--;
          return Promise.reject(new BanterError('unavailable', 'restarting', { status: 503 }));
        }
        return base.sendMessage(id, body);
      },
    },
    connectRealtime: async () => transport,
    timings: {
      readDebounce: 0,
      sendBackoff: (attempt) => {
        attempts.push(attempt);
        return 5;
      },
    },
  });
  clients.push(client);
  await client.ready;
  transport.setState('connected');
  const id = server.createConversation(['alice', 'bob']);
  await client.messages.load(id);
  client.messages.send(id, 'one');
  await vi.waitFor(() => expect(selectMessages(client.store.getSnapshot(), id).map((m) => m.status)).toEqual(['sent']));
  expect(attempts).toEqual([1, 2, 3]);

  refusals = 1;
  client.messages.send(id, 'two');
  await vi.waitFor(() => expect(selectMessages(client.store.getSnapshot(), id).map((m) => m.status)).toEqual(['sent', 'sent']));
  expect(attempts).toEqual([1, 2, 3, 1]);
});
