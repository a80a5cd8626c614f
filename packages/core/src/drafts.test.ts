import { afterEach, expect, it } from 'vitest';
import { ReferenceServer } from '../test/reference-server';
import { createClientCore } from './client';
import { memoryStorage, type ChatStorage } from './storage';
import type { ChatClient } from './types';

const clients: ChatClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

const server = new ReferenceServer();
server.addUser('alice');
server.addUser('bob');

function start(storage: ChatStorage) {
  const client = createClientCore({ http: server.http('alice'), connectRealtime: null, storage });
  clients.push(client);
  return client;
}

it('keeps a draft per conversation across a reload, and sending clears it', async () => {
  const storage = memoryStorage();
  const id = server.createConversation(['alice', 'bob']);
  const first = start(storage);
  await first.ready;
  first.drafts.set(id, 'half a thought');
  first.drafts.set('other', 'another');
  expect(first.drafts.get(id)).toBe('half a thought');
  first.close();

  const second = start(storage);
  await second.ready; // drafts are loaded before ready resolves
  expect(second.drafts.get(id)).toBe('half a thought');
  expect(second.drafts.get('other')).toBe('another');
  second.messages.send(id, 'half a thought, finished');
  expect(second.drafts.get(id)).toBe('');
  second.drafts.set('other', '');
  expect(await storage.getItem('banter:alice:drafts')).toBeNull();
});

it('a draft set before ready wins over the stored one; drafts are capped at 20,000 characters', async () => {
  const storage = memoryStorage();
  storage.setItem('banter:alice:drafts', JSON.stringify({ a: 'stored', b: 'kept' }));
  const client = start(storage);
  client.drafts.set('a', 'typed early');
  await client.ready;
  expect([client.drafts.get('a'), client.drafts.get('b')]).toEqual(['typed early', 'kept']);
  expect(JSON.parse((await storage.getItem('banter:alice:drafts'))!)).toEqual({ a: 'typed early', b: 'kept' });
  client.drafts.set('a', 'x'.repeat(30_000));
  expect(client.drafts.get('a')).toHaveLength(20_000);
});

it('works on an asynchronous storage (IndexedDB, AsyncStorage) and survives a failing one', async () => {
  const items = new Map<string, string>();
  const slow: ChatStorage = {
    getItem: async (key) => items.get(key) ?? null,
    setItem: async (key, value) => void items.set(key, value),
    removeItem: async (key) => void items.delete(key),
  };
  const first = start(slow);
  await first.ready;
  first.drafts.set('a', 'async');
  await new Promise((r) => setTimeout(r, 5));
  const second = start(slow);
  await second.ready;
  expect(second.drafts.get('a')).toBe('async');

  const broken: ChatStorage = {
    getItem: () => {
      throw new Error('storage refused');
    },
    setItem: () => Promise.reject(new Error('quota exceeded')),
    removeItem: () => {},
  };
  const errors: string[] = [];
  const third = start(broken);
  third.on('error', ({ error }) => errors.push(error.message));
  await third.ready;
  third.drafts.set('a', 'in memory only');
  expect(third.drafts.get('a')).toBe('in memory only');
  await new Promise((r) => setTimeout(r, 5));
  expect(errors).toContain('quota exceeded');
});
