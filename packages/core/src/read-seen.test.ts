import { afterEach, expect, it, vi } from 'vitest';
import { FakeTransport, ReferenceServer } from '../test/reference-server';
import { createClientCore } from './client';
import type { Platform } from './platform';
import type { ChatClient, ReadReceiptMode } from './types';

const clients: ChatClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

/** alice, with bob's three messages unread, and a platform the test moves (shown? focused?). */
async function setup(readReceipts: ReadReceiptMode, readDebounce = 0) {
  const server = new ReferenceServer();
  server.addUser('alice');
  server.addUser('bob');
  const id = server.createConversation(['alice', 'bob']);
  for (const n of [1, 2, 3]) server.send(id, 'bob', `b${n}`, `#${n}`);
  const page = { visible: true, focused: true };
  const listeners = new Set<() => void>();
  const platform: Partial<Platform> = {
    visible: () => page.visible,
    focused: () => page.focused,
    onFocusChange: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
  const transport = new FakeTransport();
  const client = createClientCore({
    http: server.http('alice'),
    connectRealtime: async () => transport,
    platform,
    readReceipts,
    timings: { readDebounce },
  });
  clients.push(client);
  await client.ready;
  transport.setState('connected');
  const cursor = () => server.conversations.get(id)!.conversation.participants.find((p) => p.user.id === 'alice')!.lastReadSeq;
  const changed = () => {
    for (const fn of listeners) fn();
  };
  return { server, client, id, page, changed, cursor };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

// Issue 21: with the reader scrolled up, a new message was marked Read at once.
it("in 'seen' mode marks read only up to what the UI reported on screen", async () => {
  const { client, id, cursor } = await setup('seen');
  client.setActiveConversation(id);
  await client.messages.load(id);
  await settle();
  expect(cursor()).toBe(0); // active and loaded, but nothing reported seen
  client.markSeen(id, 2);
  await vi.waitFor(() => expect(cursor()).toBe(2));
  await settle();
  expect(cursor()).toBe(2);
  expect(client.store.getSnapshot().conversations[id]!.conversation).toMatchObject({ lastReadSeq: 2, unreadCount: 1 });
  client.markSeen(id, 1); // backwards: nothing
  client.markSeen(id, 99); // beyond what the store holds: up to the last message only
  await vi.waitFor(() => expect(cursor()).toBe(3));
});

it("in 'seen' mode holds what was seen while the window was hidden or unfocused until it is back", async () => {
  const { client, id, page, changed, cursor } = await setup('seen');
  await client.messages.load(id);
  page.focused = false;
  client.markSeen(id, 3);
  await settle();
  expect(cursor()).toBe(0);
  page.focused = true;
  page.visible = false;
  changed();
  await settle();
  expect(cursor()).toBe(0);
  page.visible = true;
  changed();
  await vi.waitFor(() => expect(cursor()).toBe(3));
});

it("switching an 'active' client to 'seen' cancels a read planned for what nobody reported", async () => {
  const { client, id, cursor } = await setup('active', 40);
  await client.messages.load(id);
  client.setActiveConversation(id); // plans a read of everything in 40 ms
  client.setReadReceipts('seen');
  await new Promise((r) => setTimeout(r, 80));
  expect(cursor()).toBe(0);
  client.markSeen(id, 1);
  await vi.waitFor(() => expect(cursor()).toBe(1));
  client.setReadReceipts('active'); // back: the active conversation is read as before
  await vi.waitFor(() => expect(cursor()).toBe(3));
});
