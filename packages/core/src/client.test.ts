import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeTransport, ReferenceServer } from '../test/reference-server';
import { createClientCore } from './client';
import { BanterError } from './errors';
import type { HttpApi } from './http';
import { EVENTS } from './protocol/channels';
import { selectConversationList, selectMessages, selectTyping } from './selectors';
import type { ChatClient, ClientTimings, Platform } from './index';

const clients: ChatClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  vi.useRealTimers();
});

/** alice's client against the reference server; `transport.deliver` plays the realtime service. */
async function setup(options: { http?: (base: HttpApi) => HttpApi; timings?: Partial<ClientTimings>; platform?: Partial<Platform> } = {}) {
  const server = new ReferenceServer();
  server.addUser('alice');
  server.addUser('bob');
  server.addUser('carol');
  const transport = new FakeTransport();
  server.onEvent = (userId, name, data) => {
    if (userId === 'alice') transport.deliver(name, data);
  };
  const base = server.http('alice');
  const calls: string[] = [];
  const counted = Object.fromEntries(
    Object.entries(base).map(([name, fn]) => [
      name,
      (...args: unknown[]) => (calls.push(name), (fn as (...a: unknown[]) => unknown)(...args)),
    ]),
  ) as unknown as HttpApi;
  const client = createClientCore({
    http: options.http ? options.http(counted) : counted,
    connectRealtime: async () => transport,
    timings: { readDebounce: 0, ...options.timings },
    platform: options.platform,
  });
  clients.push(client);
  await client.ready;
  transport.setState('connected');
  await vi.waitFor(() => expect(client.connection.state).toBe('connected'));
  return { server, transport, client, calls };
}

const settle = () => new Promise((r) => setTimeout(r, 5));

describe('client (reference server, fake realtime)', () => {
  it('fetches and lists a conversation it did not know when a message for it arrives', async () => {
    const { server, client } = await setup();
    const id = server.createConversation(['bob', 'alice']);
    const seen: string[] = [];
    client.on('message', ({ message }) => seen.push(message.body));
    server.send(id, 'bob', 'b1', 'hi alice');
    await vi.waitFor(() => expect(selectMessages(client.store.getSnapshot(), id).map((m) => m.body)).toEqual(['hi alice']));
    const [row] = selectConversationList(client.store.getSnapshot());
    expect(row!.conversation.id).toBe(id);
    expect(row!.lastMessage?.body).toBe('hi alice');
    expect(row!.conversation.unreadCount).toBe(1);
    expect(seen).toEqual(['hi alice']);
  });

  it('loads the latest page, then older pages down to seq 1, without message events for history', async () => {
    const { server, client } = await setup();
    const id = server.createConversation(['alice', 'bob']);
    server.onEvent = () => {};
    for (let i = 1; i <= 70; i++) server.send(id, 'bob', `b${i}`, `#${i}`);
    await client.conversations.list();
    const events: number[] = [];
    client.on('message', ({ message }) => events.push(message.seq));
    await client.messages.load(id);
    const seqs = () => selectMessages(client.store.getSnapshot(), id).map((m) => m.seq);
    expect(seqs()).toEqual(Array.from({ length: 30 }, (_, i) => i + 41));
    expect(client.store.getSnapshot().conversations[id]!.hasOlder).toBe(true);
    expect(await client.messages.loadOlder(id)).toBe(true);
    expect(await client.messages.loadOlder(id)).toBe(false);
    expect(seqs()).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
    expect(await client.messages.loadOlder(id)).toBe(false);
    expect(events).toEqual([]);
    expect(client.store.getSnapshot().conversations[id]!.conversation.unreadCount).toBe(70);
  });

  it('fetches a message.created that came without its message (too large for the realtime service)', async () => {
    const { server, transport, client, calls } = await setup();
    const id = server.createConversation(['alice', 'bob']);
    await client.messages.load(id);
    server.onEvent = () => {};
    const big = server.send(id, 'bob', 'b1', 'x'.repeat(3000));
    transport.deliver(EVENTS.messageCreated, { conversationId: id, seq: big.seq });
    await vi.waitFor(() => expect(selectMessages(client.store.getSnapshot(), id).map((m) => m.id)).toEqual([big.id]));
    expect(calls.filter((c) => c === 'listMessages').length).toBe(2);
  });

  it('fetches a conversation.updated that came with only its id (too large: a big group); the full form still works', async () => {
    const { server, transport, client, calls } = await setup();
    await client.conversations.list();
    server.onEvent = () => {};
    const big = server.createConversation(['alice', 'bob', 'carol']);
    transport.deliver(EVENTS.conversationUpdated, { conversationId: big });
    await vi.waitFor(() => expect(selectConversationList(client.store.getSnapshot()).map((r) => r.conversation.id)).toEqual([big]));
    expect(calls.filter((c) => c === 'getConversation').length).toBe(1);
    // A server before 0.2 sends { conversation } alone.
    const small = server.createConversation(['alice', 'bob']);
    transport.deliver(EVENTS.conversationUpdated, { conversation: await server.http('alice').getConversation(small) });
    await vi.waitFor(() => expect(selectConversationList(client.store.getSnapshot())).toHaveLength(2));
    expect(calls.filter((c) => c === 'getConversation').length).toBe(1);
  });

  it('shows a send at once, then the server copy once, whichever copy comes first', async () => {
    const { server, client } = await setup();
    const id = server.createConversation(['alice', 'bob']);
    await client.messages.load(id);
    const local = client.messages.send(id, 'hello');
    expect(local).toMatchObject({ status: 'sending', id: null, seq: null });
    expect(selectMessages(client.store.getSnapshot(), id)).toHaveLength(1);
    await vi.waitFor(() => expect(selectMessages(client.store.getSnapshot(), id)[0]!.status).toBe('sent'));
    await settle();
    expect(selectMessages(client.store.getSnapshot(), id).map((m) => [m.seq, m.clientId])).toEqual([[1, local.clientId]]);
  });

  it('keeps a failed send visible with its error; retry sends the same clientId once; discard rolls the list back', async () => {
    let fail = true;
    const { server, client } = await setup({
      http: (base) => ({
        ...base,
        sendMessage: async (id, body) => {
          if (fail) throw new BanterError('forbidden', 'not a participant', { status: 403 });
          return base.sendMessage(id, body);
        },
      }),
    });
    const a = server.createConversation(['alice', 'bob']);
    const b = server.createConversation(['alice', 'carol']);
    server.send(b, 'carol', 'c1', 'older');
    await client.conversations.list();
    await client.messages.load(a);
    const errors: string[] = [];
    client.on('error', ({ error, clientId }) => errors.push(`${error.code} ${clientId}`));

    const first = client.messages.send(a, 'one');
    await vi.waitFor(() => expect(selectMessages(client.store.getSnapshot(), a)[0]!.status).toBe('failed'));
    expect(selectMessages(client.store.getSnapshot(), a)[0]!.error?.code).toBe('forbidden');
    expect(errors).toEqual([`forbidden ${first.clientId}`]);
    fail = false;
    client.messages.retry(first.clientId);
    await vi.waitFor(() => expect(selectMessages(client.store.getSnapshot(), a)[0]!.status).toBe('sent'));
    expect(server.conversations.get(a)!.messages.map((m) => m.clientId)).toEqual([first.clientId]);

    fail = true;
    const second = client.messages.send(a, 'two');
    await vi.waitFor(() => expect(selectMessages(client.store.getSnapshot(), a).at(-1)!.status).toBe('failed'));
    expect(client.store.getSnapshot().conversations[a]!.lastMessage?.clientId).toBe(second.clientId);
    expect(client.messages.discard(second.clientId)).toBe(true);
    expect(selectMessages(client.store.getSnapshot(), a).map((m) => m.body)).toEqual(['one']);
    expect(client.store.getSnapshot().conversations[a]!.lastMessage?.body).toBe('one');
    expect(client.messages.discard(second.clientId)).toBe(false);
  });

  it('refuses an empty or too long body without a request', async () => {
    const { server, client, calls } = await setup();
    const id = server.createConversation(['alice', 'bob']);
    await client.messages.load(id);
    const empty = client.messages.send(id, '   ');
    const long = client.messages.send(id, 'x'.repeat(4001));
    expect([empty.status, long.status]).toEqual(['failed', 'failed']);
    expect(empty.error?.code).toBe('validation_failed');
    client.messages.retry(empty.clientId);
    await settle();
    expect(calls).not.toContain('sendMessage');
  });

  it('holds sends while offline and sends them in order on reconnection', async () => {
    const { server, transport, client } = await setup();
    const id = server.createConversation(['alice', 'bob']);
    await client.messages.load(id);
    transport.setState('offline');
    for (const body of ['1', '2', '3']) client.messages.send(id, body);
    await settle();
    expect(server.conversations.get(id)!.messages).toEqual([]);
    transport.setState('connected');
    await vi.waitFor(() => expect(server.conversations.get(id)!.messages.map((m) => m.body)).toEqual(['1', '2', '3']));
    await vi.waitFor(() => expect(selectMessages(client.store.getSnapshot(), id).map((m) => m.status)).toEqual(['sent', 'sent', 'sent']));
  });

  it('marks arriving messages read while the conversation is active, forward only', async () => {
    const { server, client, calls } = await setup();
    const id = server.createConversation(['alice', 'bob']);
    server.send(id, 'bob', 'b1', 'one');
    client.setActiveConversation(id);
    await client.messages.load(id);
    await vi.waitFor(() => expect(server.conversations.get(id)!.conversation.participants[0]!.lastReadSeq).toBe(1));
    expect(client.store.getSnapshot().conversations[id]!.conversation.unreadCount).toBe(0);
    server.send(id, 'bob', 'b2', 'two');
    await vi.waitFor(() => expect(server.conversations.get(id)!.conversation.participants[0]!.lastReadSeq).toBe(2));
    const reads = calls.filter((c) => c === 'markRead').length;
    await client.markRead(id, 1); // behind the cursor: no request
    expect(calls.filter((c) => c === 'markRead').length).toBe(reads);

    client.setActiveConversation(null);
    server.send(id, 'bob', 'b3', 'three');
    await vi.waitFor(() => expect(client.store.getSnapshot().conversations[id]!.conversation.unreadCount).toBe(1));
    await settle();
    expect(server.conversations.get(id)!.conversation.participants[0]!.lastReadSeq).toBe(2);
  });

  it('waits for the page to be visible before marking read (an injected platform, no globals stubbed)', async () => {
    const listeners = new Set<() => void>();
    let visible = false;
    const platform: Partial<Platform> = {
      visible: () => visible,
      onFocusChange: (fn) => {
        listeners.add(fn);
        return () => listeners.delete(fn);
      },
    };
    const { server, client } = await setup({ platform });
    const id = server.createConversation(['alice', 'bob']);
    server.send(id, 'bob', 'b1', 'one');
    client.setActiveConversation(id);
    await client.messages.load(id);
    await settle();
    expect(server.conversations.get(id)!.conversation.participants[0]!.lastReadSeq).toBe(0);
    visible = true;
    for (const fn of listeners) fn();
    await vi.waitFor(() => expect(server.conversations.get(id)!.conversation.participants[0]!.lastReadSeq).toBe(1));
    client.close();
    expect(listeners.size).toBe(0);
  });

  it('turns own messages read when the other cursor passes them', async () => {
    const { server, client } = await setup();
    const id = server.createConversation(['alice', 'bob']);
    await client.messages.load(id);
    client.messages.send(id, 'read me');
    await vi.waitFor(() => expect(selectMessages(client.store.getSnapshot(), id)[0]!.status).toBe('sent'));
    const reads: number[] = [];
    client.on('read', (e) => reads.push(e.lastReadSeq));
    server.markRead(id, 'bob');
    await vi.waitFor(() => expect(selectMessages(client.store.getSnapshot(), id)[0]!.status).toBe('read'));
    expect(reads).toEqual([1]);
  });

  it('joins the active conversation presence, throttles typing and expires remote typing', async () => {
    const { server, transport, client } = await setup({ timings: { typingExpiry: 50 } });
    const id = server.createConversation(['alice', 'bob']);
    await client.conversations.get(id);
    client.typing(id); // not active: no presence channel to send on
    client.setActiveConversation(id);
    client.typing(id);
    client.typing(id);
    expect(transport.sentTyping).toEqual([`${id} alice`]);
    const channel = transport.presence.get(id)!;
    channel.members(['alice', 'bob']);
    channel.typing('bob');
    channel.typing('alice'); // our own echo is ignored
    expect(client.store.getSnapshot().conversations[id]!.online).toEqual(['alice', 'bob']);
    expect(selectTyping(client.store.getSnapshot(), id)).toEqual(['bob']);
    await vi.waitFor(() => expect(selectTyping(client.store.getSnapshot(), id)).toEqual([]));
    client.setActiveConversation(null);
    expect(transport.presence.has(id)).toBe(false);
    expect(client.store.getSnapshot().conversations[id]!.online).toEqual([]);
  });
});
