import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { verifyUserToken } from '../auth/tokens';
import { createDatabase } from '../db/create-database';
import type { StandaloneServer } from '../standalone/standalone-server';
import { resolveSecret } from './config';
import { runCli } from './run';
import { useCliFolder } from '../../test/kit/cli';

const SECRET = 'cli-test-secret-that-is-at-least-32-chars';
const folder = useCliFolder('banter-cli-');
const { cli } = folder;

describe('usage', () => {
  test('--help explains every command; each command has its own help', async () => {
    const main = await cli(['--help']);
    expect(main.code).toBe(0);
    for (const command of ['serve', 'migrate', 'token', 'outbox failed', 'outbox retry']) expect(main.out).toContain(command);
    const serve = await cli(['serve', '--help']);
    for (const item of [
      '--port',
      '--host',
      '--database-url',
      '--data-dir',
      '--dev',
      'BANTER_SECRET',
      'DATABASE_URL',
      'PUSHER_APP_ID',
      'PUSHER_HOST',
      'PUSHER_PORT',
      'PUSHER_SCHEME',
      'PUSHER_APP_CLUSTER',
      'PORT',
      'HOST',
      'BANTER_DATA_DIR',
      'BANTER_CORS_ORIGINS',
    ]) {
      expect(serve.out).toContain(item);
    }
    expect((await cli(['token', '--help'])).out).toContain('--expires-in');
    expect((await cli(['outbox', 'retry', '--help'])).out).toContain('--all');
  });

  test.each([
    [['serve', '--prot', '3000'], 'unknown flag --prot'],
    [['serve', '--port'], '--port needs a value'],
    [['serve', '--dev=yes'], '--dev does not take a value'],
    [['serve', '--port', 'http'], '--port must be a port number'],
    [['serve', 'extra'], 'unexpected argument "extra"'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['token'], 'give a user id'],
    [['token', 'not a valid id!'], 'invalid <userId>'],
    [['token', 'alice', '--expires-in', 'soon'], '--expires-in'],
    [['outbox', 'retry'], 'give --all or the ID'],
    [['outbox', 'retry', 'abc'], 'ID must be a positive number'],
    [['outbox', 'retry', '--all', '7'], 'not both'],
    [['outbox', 'failed', '--limit', '0'], '--limit'],
    [['outbox', 'dance'], 'unknown subcommand'],
  ])('%j -> exit 2 with one line: %s', async (argv, message) => {
    const { code, err, out } = await cli(argv, { BANTER_SECRET: SECRET });
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err.split('\n')).toHaveLength(1);
    expect(err).not.toMatch(/\n\s+at /);
    expect(out).toBe('');
  });
});

test('serve on a port in use: one line naming the port, exit 1, before opening any database', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address() as AddressInfo;
  try {
    const { code, err } = await cli(['serve', '--dev', '--port', String(port), '--data-dir', 'busy']);
    expect(code).toBe(1);
    expect(err).toBe(`banter: port ${port} is already in use on 127.0.0.1; pick another with --port (or PORT)`);
    expect(existsSync(join(folder.cwd, 'busy', 'db'))).toBe(false);
  } finally {
    blocker.close();
  }
});

describe('token', () => {
  test('prints a token for the user, signed with BANTER_SECRET, with name and lifetime', async () => {
    const { code, out } = await cli(['token', 'alice', '--name', 'Alice A.', '--expires-in', '2h'], { BANTER_SECRET: SECRET });
    expect(code).toBe(0);
    expect(await verifyUserToken(SECRET, out)).toEqual({ id: 'alice', name: 'Alice A.' });
    const payload = JSON.parse(Buffer.from(out.split('.')[1]!, 'base64url').toString());
    expect(payload.exp - payload.iat).toBe(7200);
  });

  test('without BANTER_SECRET nor a stored one: a usage error that says what to do', async () => {
    const { code, err } = await cli(['token', 'alice']);
    expect(code).toBe(2);
    expect(err).toContain('BANTER_SECRET is not set');
  });
});

describe('serve, migrate and outbox on one data directory', () => {
  test('serve --dev starts with the embedded defaults, prints where everything is, stops cleanly', async () => {
    const out: string[] = [];
    let stop!: () => void;
    let listening!: StandaloneServer;
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const done = runCli(['serve', '--dev', '--port', '0'], {
      env: {},
      cwd: folder.cwd,
      stdout: (l) => out.push(l),
      stderr: (l) => out.push(`ERR ${l}`),
      stopSignal,
      onListening: (server) => {
        listening = server;
        stop();
      },
    });
    expect(await done).toBe(0);
    const text = out.join('\n');
    expect(text).toContain(`Banter is running at http://localhost:${listening.port}`);
    expect(text).toMatch(/Database\s+PGlite \(embedded PostgreSQL\) in \.\/\.banter\/db/);
    expect(text).toMatch(/Realtime\s+embedded Pusher-protocol relay/);
    expect(text).toMatch(/Data\s+\.\/\.banter/);
    expect(text).toContain('Dev mode');
    expect(text).toContain('Stopped.');
    expect(text).not.toContain('ERR');

    // `banter token` signs with the secret serve --dev generated, so the token works on that server.
    const { out: token } = await cli(['token', 'alice']);
    const secret = await resolveSecret({}, join(folder.cwd, '.banter'));
    expect((await verifyUserToken(secret, token)).id).toBe('alice');
  }, 120_000);

  test('migrate reports the database up to date; outbox failed lists dead letters and retry requeues them', async () => {
    const migrate = await cli(['migrate']);
    expect(migrate.code).toBe(0);
    expect(migrate.out).toMatch(/up to date/);

    // A dead letter, as the dispatcher leaves one after its last attempt.
    const database = createDatabase({ dataDir: join(folder.cwd, '.banter', 'db') });
    const { id } = await database.kysely
      .insertInto('outbox')
      .values({
        channel: 'private-user.alice',
        event: 'message.created',
        payload: '{}',
        attempts: 10,
        last_error: 'HTTP 502 from pusher',
        dead_at: new Date().toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.close();

    const failed = await cli(['outbox', 'failed']);
    expect(failed.code).toBe(0);
    expect(failed.out).toContain(`${id}\tmessage.created\tprivate-user.alice\t10`);
    expect(failed.out).toContain('HTTP 502 from pusher');

    expect((await cli(['outbox', 'retry', '999999'])).code).toBe(1);
    const retried = await cli(['outbox', 'retry', String(id)]);
    expect(retried.code).toBe(0);
    expect(retried.out).toContain('Requeued 1 event');
    expect((await cli(['outbox', 'failed'])).out).toContain('No failed events');

    const check = createDatabase({ dataDir: join(folder.cwd, '.banter', 'db') });
    const row = await sql<{ attempts: number; dead_at: Date | null }>`select attempts, dead_at from outbox where id = ${id}`.execute(
      check.kysely,
    );
    await check.close();
    expect(row.rows[0]).toEqual({ attempts: 0, dead_at: null });
  }, 120_000);
});
