import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { createChatServer } from '../chat-server';
import { createLogger } from '../observability/logger';
import { useCliFolder } from '../../test/kit/cli';

const SECRET = 'cli-moderation-secret-at-least-32-chars';
const folder = useCliFolder('banter-cli-moderation-');
let dataDir: string;
let conversationId: string;
let messageId: string;

beforeAll(async () => {
  dataDir = join(folder.cwd, 'data');
  const chat = createChatServer({ database: { dataDir: join(dataDir, 'db') }, secret: SECRET, logger: createLogger({ level: 'silent' }) });
  await chat.ready;
  conversationId = (await chat.api.createConversation({ createdBy: 'alice', participantIds: ['bob'], title: 'g' })).conversation.id;
  messageId = (await chat.api.sendMessage({ conversationId, senderId: 'alice', body: 'buy\npills' })).message.id;
  await chat.api.call('reportMessage', 'bob', { conversationId, messageId, reason: 'spam' });
  await chat.close();
}, 120_000);
const cli = (argv: string[]) => folder.cli([...argv, '--data-dir', dataDir], { BANTER_SECRET: SECRET, BANTER_DATA_DIR: dataDir });

describe('banter reports / ban / unban / delete-message', () => {
  test('reports lists the report with the message as it reads now', async () => {
    const { code, out } = await cli(['reports']);
    expect(code).toBe(0);
    expect(out).toContain('REPORTER');
    expect(out).toContain(`${conversationId}\t${messageId}\tbob\tspam\tbuy pills`);
    expect(out).toContain('1 report(s).');
  }, 60_000);

  test('delete-message deletes it for everyone; reports then shows it deleted', async () => {
    const deleted = await cli(['delete-message', conversationId, messageId]);
    expect(deleted.code).toBe(0);
    expect(deleted.out).toContain(`Deleted message ${messageId}`);
    expect((await cli(['reports'])).out).toContain('(deleted)');
    const missing = await cli(['delete-message', conversationId, '00000000-0000-0000-0000-000000000000']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/not found/);
  }, 60_000);

  test('ban and unban, app-wide and per conversation', async () => {
    const ban = await cli(['ban', 'bob', '--reason', 'spam']);
    expect(ban.code).toBe(0);
    expect(ban.out).toContain('Banned bob from the whole app');
    const chat = createChatServer({
      database: { dataDir: join(dataDir, 'db') },
      secret: SECRET,
      logger: createLogger({ level: 'silent' }),
    });
    await chat.ready;
    const token = await chat.api.createUserToken('bob', { expiresIn: '5m' });
    const me = await chat.handler(new Request('http://localhost/me', { headers: { authorization: `Bearer ${token}` } }));
    expect(me.status).toBe(403);
    await chat.close();
    expect((await cli(['unban', 'bob'])).out).toContain('Unbanned bob from the whole app');
    expect((await cli(['ban', 'bob', '--conversation', conversationId])).out).toContain(`conversation ${conversationId}`);
    expect((await cli(['unban', 'bob', '--conversation', conversationId])).code).toBe(0);
  }, 60_000);

  test('wrong usage exits 2 with a one-line message', async () => {
    expect(await cli(['ban'])).toMatchObject({ code: 2, err: expect.stringContaining('give a user id') });
    expect(await cli(['ban', 'has space'])).toMatchObject({ code: 2 });
    expect(await cli(['reports', '--limit', '0'])).toMatchObject({ code: 2, err: expect.stringContaining('--limit') });
    expect(await cli(['delete-message', conversationId])).toMatchObject({ code: 2 });
    expect((await cli(['reports', '--help'])).out).toContain('Usage: banter reports');
  }, 60_000);
});
