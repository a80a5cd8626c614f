import { afterEach, expect, it, vi } from 'vitest';
import { FakeTransport, ReferenceServer } from '../test/reference-server';
import { createClientCore, type ClientCoreOptions } from './client';
import { BanterError } from './errors';
import { selectMessages } from './selectors';
import type { ChatClient } from './types';

const clients: ChatClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

type RefusedCall = 'sendMessage' | 'markRead';

/**
 * Alice's connected client against a reference server whose `call` is refused with `code` while
 * `refusals.left` is above zero (tests raise it again to refuse more).
 */
async function clientWithRefusals(
  call: RefusedCall,
  code: 'unavailable' | 'rate_limited' | 'network',
  status: number,
  sendBackoff: (attempt: number) => number = () => 10,
) {
  const server = new ReferenceServer();
  server.addUser('alice');
  server.addUser('bob');
  const transport = new FakeTransport();
  const base = server.http('alice');
  const refusals = { left: 2 };
  const refusing = ((...args: unknown[]) => {
    if (refusals.left > 0) {
      refusals.left--;
      return Promise.reject(new BanterError(code, 'try again shortly', { status }));
    }
    return (base[call] as (...a: unknown[]) => Promise<unknown>)(...args);
  }) as (typeof base)[RefusedCall];
  const client = createClientCore({
    http: { ...base, [call]: refusing },
    connectRealtime: async () => transport,
    timings: { readDebounce: 0, sendBackoff } satisfies ClientCoreOptions['timings'],
  });
  clients.push(client);
  await client.ready;
  transport.setState('connected');
  const id = server.createConversation(['alice', 'bob']);
  return { server, client, id, refusals };
}

// Regression (found by the chaos run): a send answered 503 while the server restarted (or 429 when
// over the send limit) was marked failed for the user to retry by hand; it now waits and goes out.
it.each([
  ['unavailable', 503],
  ['rate_limited', 429],
  ['network', 0],
] as const)('keeps a send answered %s (%i) in line and sends it, in order, once the server answers', async (code, status) => {
  const { server, client, id } = await clientWithRefusals('sendMessage', code, status);
  const errors: string[] = [];
  client.on('error', ({ error }) => errors.push(error.code));
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
  const { server, client, id } = await clientWithRefusals('markRead', 'unavailable', 503);
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
  const attempts: number[] = [];
  const { client, id, refusals } = await clientWithRefusals('sendMessage', 'unavailable', 503, (attempt) => {
    attempts.push(attempt);
    return 5;
  });
  refusals.left = 3;
  await client.messages.load(id);
  client.messages.send(id, 'one');
  await vi.waitFor(() => expect(selectMessages(client.store.getSnapshot(), id).map((m) => m.status)).toEqual(['sent']));
  expect(attempts).toEqual([1, 2, 3]);

  refusals.left = 1;
  client.messages.send(id, 'two');
  await vi.waitFor(() => expect(selectMessages(client.store.getSnapshot(), id).map((m) => m.status)).toEqual(['sent', 'sent']));
  expect(attempts).toEqual([1, 2, 3, 1]);
});

// Issue 13: every unknown throw used to become `network`, so a bug (or a host HttpApi's own error)
// kept a message 'sending' and retried it forever. It is `internal` now: failed once, visible, retryable.
it('fails a send whose error is not a BanterError as internal, once, without retrying it', async () => {
  const server = new ReferenceServer();
  server.addUser('alice');
  server.addUser('bob');
  const base = server.http('alice');
  let calls = 0;
  const client = createClientCore({
    http: {
      ...base,
      sendMessage: async () => {
        calls++;
        throw new TypeError('cannot read properties of undefined');
      },
    },
    connectRealtime: null,
    timings: { sendBackoff: () => 1 },
  });
  clients.push(client);
  await client.ready;
  const id = server.createConversation(['alice', 'bob']);
  await client.messages.load(id);
  const errors: string[] = [];
  client.on('error', ({ error }) => errors.push(`${error.code} ${error.status}`));
  client.messages.send(id, 'one');
  await vi.waitFor(() => expect(selectMessages(client.store.getSnapshot(), id).map((m) => m.status)).toEqual(['failed']));
  await new Promise((r) => setTimeout(r, 30));
  expect(calls).toBe(1);
  expect(errors).toEqual(['internal 500']);
  expect(selectMessages(client.store.getSnapshot(), id)[0]!.error?.message).toBe('cannot read properties of undefined');
});
