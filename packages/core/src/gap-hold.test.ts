import { afterEach, expect, it, vi } from 'vitest';
import { FakeTransport, ReferenceServer } from '../test/reference-server';
import { createClientCore } from './client';
import { EVENTS } from './protocol/channels';
import { selectMessages } from './selectors';
import type { ChatClient } from './types';

const clients: ChatClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * alice's client with a loaded conversation; bob's messages are published into `held` instead of
 * delivered, so the test plays the realtime service: any order, twice, or never.
 */
async function setup(gapHold: number) {
  const server = new ReferenceServer();
  server.addUser('alice');
  server.addUser('bob');
  const id = server.createConversation(['alice', 'bob']);
  const transport = new FakeTransport();
  const held: unknown[] = [];
  server.onEvent = (userId, name, data) => {
    if (userId === 'alice' && name === EVENTS.messageCreated) held.push(data);
  };
  const base = server.http('alice');
  const fetches: (number | undefined)[] = [];
  const client = createClientCore({
    http: { ...base, listMessages: (cid, q) => (fetches.push(q?.after), base.listMessages(cid, q)) },
    connectRealtime: async () => transport,
    timings: { gapHold, readDebounce: 0 },
  });
  clients.push(client);
  await client.ready;
  transport.setState('connected');
  await vi.waitFor(() => expect(transport.user).not.toBeNull()); // its first catch-up is done
  await client.messages.load(id);
  await wait(20);
  fetches.length = 0;
  const seen: number[] = [];
  client.on('message', ({ message }) => seen.push(message.seq));
  const deliver = (...indexes: number[]) => {
    for (const i of indexes) transport.deliver(EVENTS.messageCreated, held[i]);
  };
  const seqs = () => selectMessages(client.store.getSnapshot(), id).map((m) => m.seq);
  return { server, id, deliver, fetches, seen, seqs };
}

// Issue 17: with the fast path, events can arrive out of seq order or twice.
it('waits for an out-of-order event instead of fetching: a reordered burst costs no request', async () => {
  const { server, id, deliver, fetches, seen, seqs } = await setup(200);
  for (const n of [1, 2, 3, 4]) server.send(id, 'bob', `b${n}`, `#${n}`);
  deliver(1, 3, 0, 2); // 2, 4, 1, 3
  await vi.waitFor(() => expect(seqs()).toEqual([1, 2, 3, 4]));
  await wait(250); // past the hold: nothing left to fetch
  expect(fetches).toEqual([]);
  expect(seen.sort()).toEqual([1, 2, 3, 4]);
});

it('merges an event delivered twice once, with one message event and no request', async () => {
  const { server, id, deliver, fetches, seen, seqs } = await setup(200);
  server.send(id, 'bob', 'b1', 'one');
  server.send(id, 'bob', 'b2', 'two');
  deliver(0, 0, 1, 1, 0);
  await vi.waitFor(() => expect(seqs()).toEqual([1, 2]));
  await wait(30);
  expect(seen).toEqual([1, 2]);
  expect(fetches).toEqual([]);
});

it('fetches the gap once the hold expires when the missing event never comes', async () => {
  const { server, id, deliver, fetches, seqs } = await setup(120);
  server.send(id, 'bob', 'b1', 'lost');
  server.send(id, 'bob', 'b2', 'two');
  server.send(id, 'bob', 'b3', 'three');
  deliver(1); // seq 2; seq 1's event is lost
  deliver(2);
  await wait(60);
  expect(fetches).toEqual([]); // still holding
  expect(seqs()).toEqual([2, 3]);
  await vi.waitFor(() => expect(seqs()).toEqual([1, 2, 3]));
  expect(fetches).toEqual([0]); // one request, after the last seq before the gap
});

it('with gapHold 0 fetches a gap at once', async () => {
  const { server, id, deliver, fetches, seqs } = await setup(0);
  server.send(id, 'bob', 'b1', 'lost');
  server.send(id, 'bob', 'b2', 'two');
  deliver(1);
  await vi.waitFor(() => expect(seqs()).toEqual([1, 2]));
  expect(fetches).toEqual([0]);
});
