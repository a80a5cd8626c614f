import { afterEach, expect, it, vi } from 'vitest';
import { ReferenceServer } from '../test/reference-server';
import { createClientCore } from './client';
import { BanterError } from './errors';
import type { HttpApi } from './http';
import type { Message } from './protocol/schemas';
import { memoryStorage, type ChatStorage } from './storage';
import type { ChatClient, LocalMessage } from './types';

/*
 * Issue 14: edits, deletes, reactions and pins have the send queue's offline guarantees. The
 * reference server stands in for the API behind the client's HTTP layer; `net.up` is the network.
 */

const clients: ChatClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

type Net = { up: boolean; online: boolean; calls: string[]; refuse?: BanterError };

/** The reference server with alice's message-change routes (`call`), failing with `network` while `net.up` is false. */
function world() {
  const server = new ReferenceServer();
  server.addUser('alice');
  server.addUser('bob');
  const id = server.createConversation(['alice', 'bob']);
  const [one, two, three] = ['one', 'two', 'three'].map((body, i) => server.send(id, 'alice', `c${i}`, body));
  const net: Net = { up: true, online: true, calls: [] };
  const call = (async (method: string, path: string, json?: { body?: string }) => {
    if (!net.up) throw new BanterError('network', 'no answer', { status: 0 });
    if (net.refuse) throw net.refuse;
    const [, , , , messageId, what, emoji] = path.split('/').map(decodeURIComponent);
    const m = server.conversations.get(id)!.messages.find((x) => x.id === messageId);
    if (!m) throw new BanterError('not_found', 'no such message', { status: 404 });
    if (m.deletedAt) throw new BanterError('conflict', 'deleted', { status: 409 });
    net.calls.push(`${method} ${m.body}${what ? ` ${what}` : ''}${emoji ? ` ${emoji}` : ''}`);
    if (what === 'reactions') {
      const rest = (m.reactions ?? []).filter((r) => r.emoji !== emoji);
      m.reactions = method === 'PUT' ? [...rest, { emoji: emoji!, count: 1, reactedByMe: true }] : rest;
      return { reactions: m.reactions };
    }
    if (what === 'pin') Object.assign(m, { pinnedAt: method === 'PUT' ? new Date().toISOString() : undefined });
    else if (method === 'PATCH') Object.assign(m, { body: json!.body, editedAt: new Date().toISOString() });
    else Object.assign(m, { body: '', deletedAt: new Date().toISOString() });
    return { message: structuredClone(m) };
  }) as HttpApi['call'];
  return { server, id, net, call, ids: [one!.id, two!.id, three!.id] };
}

/** One page load of alice's client, online as `net.online` says (and told when it changes, as `online` events do). */
async function start(w: ReturnType<typeof world>, storage: ChatStorage = memoryStorage()) {
  const listeners: (() => void)[] = [];
  const client = createClientCore({
    http: { ...w.server.http('alice'), call: w.call },
    connectRealtime: null,
    storage,
    platform: { online: () => w.net.online, onOnlineChange: (fn) => (listeners.push(fn), () => {}) },
    timings: { sendBackoff: () => 5 },
  });
  clients.push(client);
  await client.ready;
  await client.messages.load(w.id);
  const errors: string[] = [];
  client.on('error', ({ error }) => errors.push(error.code));
  const online = () => {
    w.net.up = w.net.online = true;
    for (const fn of listeners) fn();
  };
  return { client, errors, online };
}

const shown = (client: ChatClient, id: string, messageId: string) =>
  client.store.getSnapshot().conversations[id]!.messages.find((m) => m.id === messageId)!;
const summary = (m: LocalMessage | Message) =>
  `${m.body}|${m.deletedAt ? 'deleted' : ''}|${(m.reactions ?? []).map((r) => r.emoji).join('')}|${m.pinnedAt ? 'pinned' : ''}`;
const onServer = (w: ReturnType<typeof world>) => w.server.conversations.get(w.id)!.messages.map(summary);
const inStore = (client: ChatClient, w: ReturnType<typeof world>) => w.ids.map((m) => summary(shown(client, w.id, m)));

/** Offline: two edits of one, 👍 on and off and 🎉 on two, pin two, an edit then the deletion of three. */
function changeOffline(client: ChatClient, w: ReturnType<typeof world>) {
  const [one, two, three] = w.ids as [string, string, string];
  const m = client.messages;
  return [
    m.edit(w.id, one, 'one, edited'),
    m.edit(w.id, one, 'one, edited again'),
    m.toggleReaction(w.id, two, '👍'),
    m.toggleReaction(w.id, two, '👍'),
    m.toggleReaction(w.id, two, '🎉'),
    m.pin(w.id, two),
    m.edit(w.id, three, 'three, edited'),
    m.delete(w.id, three),
  ];
}

const AFTER = ['one, edited again|||', 'two||🎉|pinned', '|deleted||'];
// One request per message and kind, the latest wish each: 👍 on then off sends nothing.
const SENT = ['PATCH one', 'PUT two reactions 🎉', 'PUT two pin', 'DELETE three'];

it('keeps edits, reactions, pins and deletes made offline shown, and sends each once when back online', async () => {
  const w = world();
  const { client, errors, online } = await start(w);
  w.net.up = w.net.online = false;
  const settled: string[] = [];
  const changes = changeOffline(client, w).map((p, i) => p.then(() => settled.push(`${i}`)));
  await vi.waitFor(() => expect(inStore(client, w)).toEqual(AFTER));
  await new Promise((r) => setTimeout(r, 20));
  expect(inStore(client, w)).toEqual(AFTER); // no rollback while offline
  // The promises wait for the server, but for 👍 on and off, which came to nothing.
  expect(settled).toEqual(['2', '3']);
  expect(w.net.calls).toEqual([]);

  online();
  await Promise.all(changes);
  expect(settled).toHaveLength(8);
  expect(w.net.calls.slice().sort()).toEqual(SENT.slice().sort());
  expect(onServer(w)).toEqual(AFTER);
  expect(inStore(client, w)).toEqual(AFTER);
  expect(errors).toEqual([]);
});

it('retries a change that found no answer while online, and keeps it shown meanwhile', async () => {
  const w = world();
  const { client } = await start(w);
  w.net.up = false; // while the platform says online: tried, no answer
  const edit = client.messages.edit(w.id, w.ids[0]!, 'one, edited');
  await new Promise((r) => setTimeout(r, 20));
  expect(shown(client, w.id, w.ids[0]!).body).toBe('one, edited');
  w.net.up = true; // no online event: the backoff's retry sends it
  await edit;
  expect(w.net.calls).toEqual(['PATCH one']);
});

it('rolls back and rejects a change the server refuses (403), as before', async () => {
  const w = world();
  const { client } = await start(w);
  w.net.refuse = new BanterError('forbidden', 'only the author can edit a message', { status: 403 });
  await expect(client.messages.edit(w.id, w.ids[0]!, 'mine now')).rejects.toMatchObject({ code: 'forbidden' });
  await expect(client.messages.pin(w.id, w.ids[1]!)).rejects.toMatchObject({ code: 'forbidden' });
  expect(inStore(client, w)).toEqual(['one|||', 'two|||', 'three|||']);
});

it('shows the changes queued offline again after a reload and sends each exactly once', async () => {
  const w = world();
  const storage = memoryStorage();
  const first = await start(w, storage);
  w.net.up = w.net.online = false;
  void changeOffline(first.client, w);
  await vi.waitFor(() => expect(storage.getItem('banter:alice:changes')).toContain('one, edited again'));
  first.client.close(); // the reload, still offline

  const second = await start(w, storage);
  await vi.waitFor(() => expect(inStore(second.client, w)).toEqual(AFTER));
  expect(w.net.calls).toEqual([]);
  second.online();
  await vi.waitFor(() => expect(onServer(w)).toEqual(AFTER));
  await vi.waitFor(() => expect(storage.getItem('banter:alice:changes')).toBeNull());
  expect(w.net.calls.slice().sort()).toEqual(SENT.slice().sort());
  expect(inStore(second.client, w)).toEqual(AFTER);
  expect(second.errors).toEqual([]);

  const third = await start(w, storage); // a later reload sends nothing again
  expect(inStore(third.client, w)).toEqual(AFTER);
  expect(w.net.calls).toHaveLength(SENT.length);
});

it('drops quietly a queued change to a message deleted meanwhile', async () => {
  const w = world();
  const { client, errors, online } = await start(w);
  w.net.up = w.net.online = false;
  const edit = client.messages.edit(w.id, w.ids[0]!, 'one, edited');
  const react = client.messages.toggleReaction(w.id, w.ids[1]!, '👍');
  await vi.waitFor(() => expect(inStore(client, w)).toEqual(['one, edited|||', 'two||👍|', 'three|||']));
  const gone = w.server.conversations.get(w.id)!.messages;
  Object.assign(gone[0]!, { body: '', deletedAt: new Date().toISOString() });
  gone.splice(1, 1); // and one unknown (404)
  online();
  await expect(Promise.all([edit, react])).resolves.toEqual([undefined, undefined]);
  expect(w.net.calls).toEqual([]);
  expect(shown(client, w.id, w.ids[0]!).body).toBe('one');
  expect(errors).toEqual([]);
});
