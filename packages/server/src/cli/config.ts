import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DatabaseOptions } from '../db/create-database';
import { MIN_SECRET_LENGTH } from '../auth/tokens';
import type { PusherConfig } from '../realtime/broadcaster';
import { broadcasterConfigFromEnv } from '../realtime/config-from-env';
import type { RelayApp } from '../relay/types';
import { CliError } from './cli-error';
import type { FileStorage } from '../files/storage';
import { storageFromEnv } from '../files/storage-from-env';

export type Env = Record<string, string | undefined>;

/** Where the data lives: PostgreSQL by URL, or PGlite in a directory. */
export type DatabaseChoice = { kind: 'postgres'; url: string } | { kind: 'pglite'; dir: string };

export type RealtimeChoice = { kind: 'embedded'; app: RelayApp } | { kind: 'pusher'; config: PusherConfig };

export interface ServeConfig {
  port: number;
  host: string;
  dev: boolean;
  /** Banter's own directory (`.banter/` by default): PGlite data and generated credentials. */
  dataDir: string;
  database: DatabaseChoice;
  secret: string;
  /** Where the secret came from, for the startup block. */
  secretSource: 'env' | 'stored' | 'generated';
  realtime: RealtimeChoice;
  /** null: CORS off (same-origin only). */
  corsOrigins: string[] | '*' | null;
  /** Uploaded files: BANTER_STORAGE=local (`<dataDir>/files`) or s3 (S3_*). */
  storage?: FileStorage;
}

/** What is persisted in `<dataDir>/credentials.json`, so restarts keep tokens and the relay key. */
interface StoredCredentials {
  secret?: string;
  relay?: RelayApp;
}

const CREDENTIALS_FILE = 'credentials.json';
const DEFAULT_PORT = 3000;
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_DATA_DIR = '.banter';

/** The flags every command touching the database shares. */
export interface DatabaseFlags {
  'database-url'?: string | boolean;
  'data-dir'?: string | boolean;
}

/**
 * Banter's data directory and database from flags, then env, then the default (`.banter/` under
 * `cwd`, PGlite in `.banter/db`).
 *
 * @example
 * resolveDatabase({}, {}, '/srv/app'); // { dataDir: '/srv/app/.banter', database: { kind: 'pglite', dir: '/srv/app/.banter/db' } }
 */
export function resolveDatabase(flags: DatabaseFlags, env: Env, cwd: string): { dataDir: string; database: DatabaseChoice } {
  const flagUrl = stringFlag(flags['database-url']);
  const flagDir = stringFlag(flags['data-dir']);
  if (flagUrl !== undefined && flagDir !== undefined) {
    throw new CliError('give either --database-url (PostgreSQL) or --data-dir (embedded PGlite), not both');
  }
  if (flagUrl !== undefined) checkDatabaseUrl(flagUrl, '--database-url');
  const envUrl = nonEmpty(env.DATABASE_URL);
  if (flagUrl === undefined && flagDir === undefined && envUrl !== undefined) checkDatabaseUrl(envUrl, 'DATABASE_URL');
  if (flagDir === '') throw new CliError('--data-dir needs a directory');

  const dataDir = resolve(cwd, flagDir ?? nonEmpty(env.BANTER_DATA_DIR) ?? DEFAULT_DATA_DIR);
  // An explicit --data-dir means "PGlite there", even when DATABASE_URL is set in the environment.
  const url = flagUrl ?? (flagDir === undefined ? envUrl : undefined);
  return { dataDir, database: url ? { kind: 'postgres', url } : { kind: 'pglite', dir: join(dataDir, 'db') } };
}

/**
 * Where `banter serve` listens: --port / PORT (default 3000), --host / HOST (default 127.0.0.1).
 * `banter doctor` reads the same.
 *
 * @example
 * resolveListen({}, { PORT: '8080' }); // { port: 8080, host: '127.0.0.1' }
 */
export function resolveListen(flags: { port?: string | boolean; host?: string | boolean }, env: Env): { port: number; host: string } {
  const port = parsePort(stringFlag(flags.port), '--port') ?? parsePort(nonEmpty(env.PORT), 'PORT') ?? DEFAULT_PORT;
  const host = stringFlag(flags.host) ?? nonEmpty(env.HOST) ?? DEFAULT_HOST;
  if (host === '') throw new CliError('--host needs a host name or address');
  return { port, host };
}

/**
 * Everything `banter serve` needs, from flags, env and `<dataDir>/credentials.json`. Generates and
 * persists the relay credentials (embedded relay) and, with `--dev` only, BANTER_SECRET.
 * Throws a CliError naming the flag or variable that is wrong.
 *
 * @example
 * const config = await resolveServeConfig({ dev: true }, process.env, process.cwd());
 */
export async function resolveServeConfig(
  flags: DatabaseFlags & { port?: string | boolean; host?: string | boolean; dev?: string | boolean },
  env: Env,
  cwd: string,
): Promise<ServeConfig> {
  const dev = flags.dev === true;
  const { port, host } = resolveListen(flags, env);
  const { dataDir, database } = resolveDatabase(flags, env, cwd);
  // Checked even with --dev (which allows every origin), so a typo shows before production.
  const configuredOrigins = parseCorsOrigins(env.BANTER_CORS_ORIGINS);
  const corsOrigins = dev ? '*' : configuredOrigins;

  let storage: FileStorage;
  try {
    storage = storageFromEnv(env, { dataDir });
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }

  let pusher: PusherConfig | null;
  try {
    pusher = broadcasterConfigFromEnv(env);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }

  const envSecret = nonEmpty(env.BANTER_SECRET);
  if (envSecret !== undefined && envSecret.length < MIN_SECRET_LENGTH) {
    throw new CliError(`BANTER_SECRET must be at least ${MIN_SECRET_LENGTH} characters (try: openssl rand -hex 32)`);
  }
  const stored = await readCredentials(dataDir);
  let secret = envSecret;
  let secretSource: ServeConfig['secretSource'] = 'env';
  const changes: StoredCredentials = {};
  if (!secret && dev) {
    secret = stored.secret ?? (changes.secret = randomBytes(32).toString('hex'));
    secretSource = stored.secret ? 'stored' : 'generated';
  }
  if (!secret) {
    throw new CliError(
      'BANTER_SECRET is not set: set it to a random string of 32+ characters (openssl rand -hex 32), or run with --dev to generate one',
    );
  }

  let realtime: RealtimeChoice;
  if (pusher) realtime = { kind: 'pusher', config: pusher };
  else {
    const app =
      stored.relay ?? (changes.relay = { id: 'banter', key: randomBytes(10).toString('hex'), secret: randomBytes(24).toString('hex') });
    realtime = { kind: 'embedded', app };
  }
  if (changes.secret || changes.relay) await writeCredentials(dataDir, { ...stored, ...changes });
  return { port, host, dev, dataDir, database, secret, secretSource, realtime, corsOrigins, storage };
}

/**
 * BANTER_SECRET, or the one `banter serve --dev` generated in the data directory (so
 * `banter token` works against a dev server with no setup).
 *
 * @example
 * const secret = await resolveSecret(process.env, '/srv/app/.banter');
 */
export async function resolveSecret(env: Env, dataDir: string): Promise<string> {
  const secret = nonEmpty(env.BANTER_SECRET) ?? (await readCredentials(dataDir)).secret;
  if (!secret) {
    throw new CliError(
      `BANTER_SECRET is not set and ${join(dataDir, CREDENTIALS_FILE)} holds none (run banter serve --dev once, or set BANTER_SECRET)`,
    );
  }
  if (secret.length < MIN_SECRET_LENGTH) throw new CliError(`BANTER_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  return secret;
}

/** createDatabase options for a resolved choice. */
export function databaseOptions(choice: DatabaseChoice): DatabaseOptions {
  return choice.kind === 'postgres' ? { url: choice.url } : { dataDir: choice.dir };
}

/** A database URL with its password hidden, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** `BANTER_CORS_ORIGINS`: `*`, or origins separated by commas. */
export function parseCorsOrigins(value: string | undefined): string[] | '*' | null {
  const trimmed = nonEmpty(value);
  if (trimmed === undefined) return null;
  if (trimmed === '*') return '*';
  const origins = trimmed
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      // reported below
    }
    if (!parsed || parsed.origin !== origin) {
      throw new CliError(`BANTER_CORS_ORIGINS: "${origin}" is not an origin (scheme://host[:port], no path), e.g. https://app.example.com`);
    }
  }
  return origins;
}

function parsePort(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(n) || n > 65535) {
    throw new CliError(`${name} must be a port number (0-65535), got "${value}"`);
  }
  return n;
}

function checkDatabaseUrl(url: string, name: string): void {
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw new CliError(`${name} must be a PostgreSQL URL (postgres://user:password@host:5432/db), got "${redactUrl(url)}"`);
  }
}

async function readCredentials(dataDir: string): Promise<StoredCredentials> {
  const file = join(dataDir, CREDENTIALS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`unable to read ${file}: ${(error as Error).message}`, 1);
  }
  try {
    const parsed = JSON.parse(text) as StoredCredentials;
    return typeof parsed === 'object' && parsed !== null ? parsed : {};
  } catch {
    throw new CliError(`${file} is not valid JSON; fix it or delete it (new credentials are then generated)`, 1);
  }
}

async function writeCredentials(dataDir: string, credentials: StoredCredentials): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, CREDENTIALS_FILE);
  // Write then rename: a crash never leaves a half-written file that would lose the secret.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
}

function stringFlag(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value.trim() : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
