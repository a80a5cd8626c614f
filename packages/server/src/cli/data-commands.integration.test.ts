import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { createChatServer } from '../chat-server';
import { createDatabase } from '../db/create-database';
import { createLogger } from '../observability/logger';
import { useCliFolder } from '../../test/kit/cli';

const SECRET = 'cli-data-secret-that-is-at-least-32-chars';
const folder = useCliFolder('banter-cli-data-');
let dataDir: string;

beforeAll(async () => {
  dataDir = join(folder.cwd, 'data');
  // Two users and a conversation, written the way a host's server would.
  const chat = createChatServer({ database: { dataDir: join(dataDir, 'db') }, secret: SECRET, logger: createLogger({ level: 'silent' }) });
  await chat.ready;
  const { conversation } = await chat.api.createConversation({ createdBy: 'alice', participantIds: ['bob'] });
  await chat.api.sendMessage({ conversationId: conversation.id, senderId: 'alice', body: 'from alice' });
  await chat.api.sendMessage({ conversationId: conversation.id, senderId: 'bob', body: 'from bob' });
  await chat.close();
}, 120_000);
const cli = (argv: string[]) => folder.cli([...argv, '--data-dir', dataDir], { BANTER_SECRET: SECRET, BANTER_DATA_DIR: dataDir });

// Issue 20: banter export-user, erase-user and doctor --verify-erasure, on the embedded database.
describe('banter export-user / erase-user / doctor --verify-erasure', () => {
  test('export prints JSON with the user’s own messages only', async () => {
    const { code, out } = await cli(['export-user', 'alice']);
    expect(code).toBe(0);
    const data = JSON.parse(out);
    expect(data.format).toBe('banter.user-export/1');
    expect(data.messages.map((m: { body: string }) => m.body)).toEqual(['from alice']);
  }, 60_000);

  test('verify before erasure lists what is left and exits 1; after, 0', async () => {
    const before = await cli(['doctor', '--verify-erasure', 'alice']);
    expect(before.code).toBe(1);
    expect(before.out).toContain('messages.sender_id');
    const erased = await cli(['erase-user', 'alice']);
    expect(erased.code).toBe(0);
    expect(erased.out).toMatch(/Erased alice \(delete\): 1 message/);
    const after = await cli(['doctor', '--verify-erasure', 'alice']);
    expect(after.code).toBe(0);
    expect(after.out).toContain('nothing of alice is left');
    // Bob still reads his side of the conversation.
    const database = createDatabase({ dataDir: join(dataDir, 'db') });
    try {
      const bodies = await database.kysely.selectFrom('messages').select('body').execute();
      expect(bodies.map((row) => row.body)).toEqual(['from bob']);
    } finally {
      await database.close();
    }
  }, 120_000);

  test('a bad id is one clear line and exit 2', async () => {
    const { code, err } = await cli(['erase-user', 'not a valid id!']);
    expect(code).toBe(2);
    expect(err).toContain('invalid user id');
  });
});
