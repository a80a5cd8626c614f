import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CliError } from './cli-error';
import { parseCorsOrigins, resolveDatabase, resolveSecret, resolveServeConfig } from './config';

const SECRET = 'a-secret-from-the-environment-of-40-chars';
let cwd: string;

beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'banter-cli-config-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

async function usageError(promise: Promise<unknown> | (() => unknown)): Promise<CliError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).not.toContain('\n');
    return error as CliError;
  }
  throw new Error('expected a CliError');
}

describe('resolveServeConfig', () => {
  test('no flags, no env, --dev: embedded defaults under ./.banter, generated secret and relay app persisted', async () => {
    const config = await resolveServeConfig({ dev: true }, {}, cwd);
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dev: true,
      dataDir: join(cwd, '.banter'),
      database: { kind: 'pglite', dir: join(cwd, '.banter', 'db') },
      secretSource: 'generated',
      realtime: { kind: 'embedded' },
      corsOrigins: '*',
    });
    expect(config.secret.length).toBeGreaterThanOrEqual(32);
    const file = join(cwd, '.banter', 'credentials.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    // A restart keeps the secret (tokens stay valid) and the relay key (open pages reconnect).
    const again = await resolveServeConfig({ dev: true }, {}, cwd);
    expect(again.secret).toBe(config.secret);
    expect(again.secretSource).toBe('stored');
    expect(again.realtime).toEqual(config.realtime);
  });

  test('without --dev, BANTER_SECRET is required and never generated', async () => {
    const error = await usageError(resolveServeConfig({}, {}, cwd));
    expect(error.message).toContain('BANTER_SECRET');
    const config = await resolveServeConfig({}, { BANTER_SECRET: SECRET }, cwd);
    expect(config).toMatchObject({ secret: SECRET, secretSource: 'env', corsOrigins: null, dev: false });
    const stored = JSON.parse(await readFile(join(cwd, '.banter', 'credentials.json'), 'utf8'));
    expect(stored.secret).toBeUndefined();
    expect(stored.relay.key).toBeTruthy();
  });

  test('flags win over env, env over defaults', async () => {
    const env = { BANTER_SECRET: SECRET, PORT: '4000', HOST: '0.0.0.0', DATABASE_URL: 'postgres://u:p@db:5432/app' };
    expect(await resolveServeConfig({}, env, cwd)).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      database: { kind: 'postgres', url: 'postgres://u:p@db:5432/app' },
    });
    expect(await resolveServeConfig({ port: '5000', host: '::1', 'data-dir': 'data' }, env, cwd)).toMatchObject({
      port: 5000,
      host: '::1',
      dataDir: join(cwd, 'data'),
      database: { kind: 'pglite', dir: join(cwd, 'data', 'db') },
    });
    expect(await resolveServeConfig({ 'database-url': 'postgresql://x@h/d' }, env, cwd)).toMatchObject({
      database: { kind: 'postgres', url: 'postgresql://x@h/d' },
    });
  });

  test('PUSHER_* selects the Pusher protocol broadcaster; incomplete settings name what is missing', async () => {
    const env = {
      BANTER_SECRET: SECRET,
      PUSHER_APP_ID: '1',
      PUSHER_APP_KEY: 'k',
      PUSHER_APP_SECRET: 's',
      PUSHER_HOST: 'soketi',
      PUSHER_PORT: '6001',
      PUSHER_SCHEME: 'http',
    };
    expect((await resolveServeConfig({}, env, cwd)).realtime).toEqual({
      kind: 'pusher',
      config: { appId: '1', key: 'k', secret: 's', host: 'soketi', port: 6001, useTLS: false },
    });
    const error = await usageError(resolveServeConfig({}, { BANTER_SECRET: SECRET, PUSHER_APP_KEY: 'k' }, cwd));
    expect(error.message).toContain('PUSHER_APP_ID');
  });

  test.each([
    [{ port: 'abc' }, {}, '--port'],
    [{ port: '70000' }, {}, '--port'],
    [{}, { PORT: '-1' }, 'PORT'],
    [{ 'database-url': 'mysql://x' }, {}, '--database-url'],
    [{}, { DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
    [{ 'database-url': 'postgres://h/d', 'data-dir': 'x' }, {}, '--data-dir'],
    [{}, { BANTER_SECRET: 'short' }, 'BANTER_SECRET'],
    [{}, { BANTER_CORS_ORIGINS: 'https://ok.example, not-an-origin' }, 'BANTER_CORS_ORIGINS'],
    [{}, { PUSHER_APP_ID: '1', PUSHER_APP_KEY: 'k', PUSHER_APP_SECRET: 's', PUSHER_HOST: 'h', PUSHER_PORT: 'x' }, 'PUSHER_PORT'],
  ] as const)('a wrong value is a one-line usage error naming it: %j %j', async (flags, env, name) => {
    const error = await usageError(resolveServeConfig({ dev: true, ...flags }, env, cwd));
    expect(error.message).toContain(name);
  });

  test('a corrupt credentials file is reported, not overwritten', async () => {
    await resolveServeConfig({ dev: true }, {}, cwd);
    await writeFile(join(cwd, '.banter', 'credentials.json'), '{ oops');
    await expect(resolveServeConfig({ dev: true }, {}, cwd)).rejects.toThrow(/credentials.json is not valid JSON/);
    expect(await readFile(join(cwd, '.banter', 'credentials.json'), 'utf8')).toBe('{ oops');
  });
});

describe('other settings', () => {
  test('resolveDatabase: --data-dir beats DATABASE_URL (an explicit choice)', () => {
    expect(resolveDatabase({ 'data-dir': '/d' }, { DATABASE_URL: 'postgres://h/x' }, cwd).database).toEqual({
      kind: 'pglite',
      dir: '/d/db',
    });
    expect(resolveDatabase({}, { BANTER_DATA_DIR: 'state' }, cwd).dataDir).toBe(join(cwd, 'state'));
  });

  test('resolveSecret: env first, then what serve --dev stored, else a usage error', async () => {
    const dataDir = join(cwd, '.banter');
    await usageError(resolveSecret({}, dataDir));
    const { secret } = await resolveServeConfig({ dev: true }, {}, cwd);
    expect(await resolveSecret({}, dataDir)).toBe(secret);
    expect(await resolveSecret({ BANTER_SECRET: SECRET }, dataDir)).toBe(SECRET);
  });

  test('parseCorsOrigins', () => {
    expect(parseCorsOrigins(undefined)).toBeNull();
    expect(parseCorsOrigins(' * ')).toBe('*');
    expect(parseCorsOrigins('https://a.example, http://localhost:5173')).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(() => parseCorsOrigins('https://a.example/path')).toThrow(CliError);
  });
});
