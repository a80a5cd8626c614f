import { afterEach, expect, it, vi } from 'vitest';
import { ReferenceServer } from '../test/reference-server';
import { createClientCore } from './client';
import { BanterError, toBanterError } from './errors';
import { browserPlatform, type Platform } from './platform';
import { selectMessages } from './selectors';
import type { ChatClient } from './types';

const clients: ChatClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

it('the default platform reads no global at import and says "visible, focused, online" without a DOM', () => {
  expect(typeof globalThis.document).toBe('undefined');
  expect([browserPlatform.visible(), browserPlatform.focused(), browserPlatform.online()]).toEqual([true, true, true]);
  const off = browserPlatform.onFocusChange(() => {});
  off();
  browserPlatform.onOnlineChange(() => {})();
});

it('holds sends while the injected platform is offline and sends them when it says online again', async () => {
  const server = new ReferenceServer();
  server.addUser('alice');
  server.addUser('bob');
  let online = false;
  const listeners = new Set<() => void>();
  const platform: Partial<Platform> = {
    online: () => online,
    onOnlineChange: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
  const client = createClientCore({ http: server.http('alice'), connectRealtime: null, platform });
  clients.push(client);
  await client.ready;
  const id = server.createConversation(['alice', 'bob']);
  await client.messages.load(id);
  client.messages.send(id, 'one');
  client.messages.send(id, 'two');
  await new Promise((r) => setTimeout(r, 20));
  expect(server.conversations.get(id)!.messages).toEqual([]);
  online = true;
  for (const fn of listeners) fn();
  await vi.waitFor(() => expect(selectMessages(client.store.getSnapshot(), id).map((m) => m.status)).toEqual(['sent', 'sent']));
  expect(server.conversations.get(id)!.messages.map((m) => m.body)).toEqual(['one', 'two']);
  client.close();
  expect(listeners.size).toBe(0);
});

it('runs every timer through the injected platform, and close() clears them', async () => {
  const server = new ReferenceServer();
  server.addUser('alice');
  server.addUser('bob');
  const live = new Set<number>();
  let next = 0;
  const platform: Partial<Platform> = {
    setTimeout: (fn, ms) => {
      const id = ++next;
      live.add(id);
      setTimeout(() => {
        if (live.delete(id)) fn();
      }, ms);
      return id;
    },
    clearTimeout: (id) => void live.delete(id as number),
  };
  const client = createClientCore({ http: server.http('alice'), connectRealtime: null, platform, timings: { readDebounce: 10_000 } });
  clients.push(client);
  await client.ready;
  const id = server.createConversation(['alice', 'bob']);
  server.send(id, 'bob', 'b1', 'one');
  client.setActiveConversation(id);
  await client.messages.load(id);
  expect(live.size).toBe(1); // the debounced read
  client.close();
  expect(live.size).toBe(0);
});

it('toBanterError keeps a BanterError and labels anything else internal, never network', () => {
  const network = new BanterError('network', 'GET /me failed; fetch failed');
  expect(toBanterError(network)).toBe(network);
  expect(toBanterError(new Error('boom'), 'unable to load')).toMatchObject({
    code: 'internal',
    status: 500,
    message: 'unable to load; boom',
  });
  expect(toBanterError('odd')).toMatchObject({ code: 'internal', message: 'odd' });
});
