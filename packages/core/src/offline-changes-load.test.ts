import { expect, it, vi } from 'vitest';
import { ReferenceServer } from '../test/reference-server';
import { createClientCore } from './client';
import { memoryStorage } from './storage';

// The lazy chunk of message changes cannot load (a reload while offline, the chunk not cached).
vi.mock('./features/message-lifecycle', () => {
  throw new Error('failed to fetch the chunk');
});

it('starts, and keeps the stored changes, when the code of changes queued before a reload cannot load', async () => {
  const server = new ReferenceServer();
  server.addUser('alice');
  const storage = memoryStorage();
  const stored = JSON.stringify([{ kind: 'edit', id: 'c1', messageId: 'm1', at: new Date().toISOString(), body: 'fixed' }]);
  storage.setItem('banter:alice:changes', stored);
  const client = createClientCore({ http: server.http('alice'), connectRealtime: null, storage });
  const errors: string[] = [];
  client.on('error', ({ error }) => errors.push(error.message));
  await client.ready;
  await vi.waitFor(() => expect(errors).toHaveLength(1));
  expect(client.connection.state).toBe('connected');
  expect(storage.getItem('banter:alice:changes')).toBe(stored);
  client.close();
});
