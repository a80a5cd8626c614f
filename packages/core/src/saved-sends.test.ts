import { afterEach, expect, it, vi } from 'vitest';
import { ReferenceServer } from '../test/reference-server';
import { createClientCore } from './client';
import { BanterError } from './errors';
import type { HttpApi } from './http';
import { selectMessages } from './selectors';
import { memoryStorage, type ChatStorage } from './storage';
import type { ChatClient } from './types';

const clients: ChatClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

function world() {
  const server = new ReferenceServer();
  server.addUser('alice');
  server.addUser('bob');
  const id = server.createConversation(['alice', 'bob']);
  return { server, id };
}

/** One "page load" of alice's client on a storage that outlives it, as localStorage does. */
async function start(
  server: ReferenceServer,
  storage: ChatStorage,
  options: { online?: () => boolean; http?: (base: HttpApi) => HttpApi } = {},
) {
  const base = server.http('alice');
  const client = createClientCore({
    http: options.http ? options.http(base) : base,
    connectRealtime: null,
    storage,
    platform: { online: options.online ?? (() => true) },
    timings: { sendBackoff: () => 5 },
  });
  clients.push(client);
  await client.ready;
  return client;
}

const view = (client: ChatClient, id: string) => selectMessages(client.store.getSnapshot(), id).map((m) => `${m.body}:${m.status}`);

// Issue 21: a message sent offline, then a reload before reconnecting, never reached the server.
it('shows the sends queued offline again after a reload and sends each exactly once', async () => {
  const { server, id } = world();
  const storage = memoryStorage();
  const first = await start(server, storage, { online: () => false });
  await first.messages.load(id);
  first.messages.send(id, 'one');
  first.messages.send(id, 'two');
  await vi.waitFor(() => expect(storage.getItem('banter:alice:outbox')).toContain('two'));
  first.close(); // the reload

  const second = await start(server, storage);
  await vi.waitFor(() => expect(view(second, id)).toEqual(['one:sent', 'two:sent']));
  expect(server.conversations.get(id)!.messages.map((m) => m.body)).toEqual(['one', 'two']);
  await vi.waitFor(() => expect(storage.getItem('banter:alice:outbox')).toBeNull());

  const third = await start(server, storage); // a later reload sends nothing again
  await third.messages.load(id);
  expect(view(third, id)).toEqual(['one:sent', 'two:sent']);
  expect(server.conversations.get(id)!.messages).toHaveLength(2);
});

it('keeps what a queued send is sent with (quote, thread, mentions, metadata) across a reload', async () => {
  const { server, id } = world();
  const storage = memoryStorage();
  const first = await start(server, storage, { online: () => false });
  await first.messages.load(id);
  const extra = { replyTo: 'm-quoted', threadId: 'm-root', showInChannel: true, mentions: ['bob'], metadata: { ticket: 42 } };
  first.messages.send(id, { body: 'see above', ...extra });
  await vi.waitFor(() => expect(storage.getItem('banter:alice:outbox')).toContain('see above'));
  first.close(); // the reload

  const sent: unknown[] = [];
  const second = await start(server, storage, {
    http: (base) => ({ ...base, sendMessage: (conversationId, body) => (sent.push(body), base.sendMessage(conversationId, body)) }),
  });
  await vi.waitFor(() => expect(view(second, id)).toEqual(['see above:sent']));
  expect(sent).toEqual([expect.objectContaining({ body: 'see above', ...extra })]);
});

it('resends a message the server stored before the crash without storing it twice (clientId is the key)', async () => {
  const { server, id } = world();
  const storage = memoryStorage();
  let crash = true;
  const first = await start(server, storage, {
    http: (base) => ({
      ...base,
      async sendMessage(conversationId, body) {
        await base.sendMessage(conversationId, body); // stored...
        if (crash) await new Promise(() => {}); // ...and the page dies before the answer
        return base.sendMessage(conversationId, body);
      },
    }),
  });
  await first.messages.load(id);
  const local = first.messages.send(id, 'once');
  await vi.waitFor(() => expect(server.conversations.get(id)!.messages).toHaveLength(1));
  first.close();
  crash = false;

  const second = await start(server, storage);
  await vi.waitFor(() => expect(view(second, id)).toEqual(['once:sent']));
  await second.messages.load(id);
  expect(view(second, id)).toEqual(['once:sent']);
  expect(server.conversations.get(id)!.messages.map((m) => m.clientId)).toEqual([local.clientId]);
});

it('keeps a failed send failed across a reload, with its error, until discarded', async () => {
  const { server, id } = world();
  const storage = memoryStorage();
  const refusing = (base: HttpApi): HttpApi => ({
    ...base,
    sendMessage: () => Promise.reject(new BanterError('forbidden', 'not allowed', { status: 403 })),
  });
  const first = await start(server, storage, { http: refusing });
  await first.messages.load(id);
  const local = first.messages.send(id, 'nope');
  await vi.waitFor(() => expect(view(first, id)).toEqual(['nope:failed']));
  first.close();

  const second = await start(server, storage, { http: refusing });
  expect(view(second, id)).toEqual(['nope:failed']);
  expect(selectMessages(second.store.getSnapshot(), id)[0]!.error).toMatchObject({ code: 'forbidden', status: 403 });
  expect(second.messages.discard(local.clientId)).toBe(true);
  await vi.waitFor(() => expect(storage.getItem('banter:alice:outbox')).toBeNull());
  expect(server.conversations.get(id)!.messages).toEqual([]);
});

it("leaves another tab's queued sends in the storage it shares", async () => {
  const { server, id } = world();
  const storage = memoryStorage();
  const tabA = await start(server, storage, { online: () => false });
  const tabB = await start(server, storage, { online: () => false });
  await tabA.messages.load(id);
  await tabB.messages.load(id);
  tabA.messages.send(id, 'from A');
  await vi.waitFor(() => expect(storage.getItem('banter:alice:outbox')).toContain('from A'));
  tabB.messages.send(id, 'from B');
  await vi.waitFor(() => expect(storage.getItem('banter:alice:outbox')).toContain('from B'));
  expect(storage.getItem('banter:alice:outbox')).toContain('from A');
});

it('drops a saved send whose conversation is gone, and keeps the stored value when it is unreadable', async () => {
  const { server } = world();
  const storage = memoryStorage();
  const gone = {
    clientId: 'c-1',
    conversationId: '00000000-0000-4000-8000-00000000ffff',
    body: 'x',
    createdAt: '2026-01-01T00:00:00.000Z',
  };
  storage.setItem('banter:alice:outbox', JSON.stringify([gone]));
  await start(server, storage);
  await vi.waitFor(() => expect(storage.getItem('banter:alice:outbox')).toBeNull());

  storage.setItem('banter:bob:outbox', '{not json');
  const bob = createClientCore({ http: server.http('bob'), connectRealtime: null, storage });
  clients.push(bob);
  await bob.ready; // an unreadable value is reported, not thrown
  expect(selectMessages(bob.store.getSnapshot(), 'x')).toEqual([]);
});
