import { access, constants, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { MIN_SECRET_LENGTH } from '../auth/tokens';
import { createDatabase } from '../db/create-database';
import type { PusherConfig } from '../realtime/broadcaster';
import { BroadcasterError } from '../realtime/broadcaster-error';
import { pusherBroadcaster } from '../realtime/pusher-broadcaster';
import { withTimeout } from '../util/with-timeout';
import { type DoctorConfig, doctorConfigFromEnv } from './doctor-config';

export type { DoctorConfig } from './doctor-config';
export { doctorConfigFromEnv } from './doctor-config';

export interface DoctorCheck {
  /** Short name: secret, database, migrations, realtime, clock, port. */
  name: string;
  ok: boolean;
  /** Plain words: what was found, and for a failure what to do. */
  message: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

export interface DoctorOptions {
  /** Per network check (default 5000 ms). */
  timeoutMs?: number;
  /** Pusher refuses signed requests whose timestamp is further off (default 600 s, as Pusher and Banter's relay). */
  clockWindowS?: number;
}

/**
 * Check a Banter configuration the way an operator would by hand, and say in plain words what is
 * wrong: a short or missing secret, a database that cannot be reached, Pusher credentials that are
 * refused, a clock too far from the Pusher host's, a port already taken.
 *
 * @example
 * const report = await runDoctor({ databaseUrl: process.env.DATABASE_URL, secret: process.env.BANTER_SECRET, pusher: broadcasterConfigFromEnv() });
 * console.log(formatDoctorReport(report));
 * process.exitCode = report.ok ? 0 : 1;
 */
export async function runDoctor(config: DoctorConfig, options: DoctorOptions = {}): Promise<DoctorReport> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const windowS = options.clockWindowS ?? 600;
  const checks: DoctorCheck[] = [checkSecret(config.secret, config.dev === true)];
  checks.push(...(await checkDatabase(config, timeoutMs)));
  checks.push(...(await checkRealtime(config.pusher ?? null, timeoutMs, windowS)));
  if (config.listen) checks.push(await checkPort(config.listen.port, config.listen.host));
  return { ok: checks.every((c) => c.ok), checks };
}

/**
 * The report as lines for a terminal: one line per check, then a verdict.
 *
 * @example
 * console.log(formatDoctorReport(await runDoctor(config)));
 * // ok    secret      BANTER_SECRET is set (64 characters)
 * // FAIL  database    cannot connect to PostgreSQL at 127.0.0.1:5433: connection refused ...
 */
export function formatDoctorReport(report: DoctorReport): string {
  const lines = report.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name.padEnd(10)}  ${c.message}`);
  const failed = report.checks.filter((c) => !c.ok).length;
  lines.push('', failed === 0 ? 'All checks passed.' : `${failed} check(s) failed.`);
  return lines.join('\n');
}

/**
 * `banter doctor [serve flags]`: print the report, return the exit code (0 all passed, 1 otherwise).
 *
 * @example
 * process.exitCode = await doctorCommand({ dev: true }, process.env, process.cwd(), console.log);
 */
export async function doctorCommand(
  flags: Parameters<typeof doctorConfigFromEnv>[0],
  env: Record<string, string | undefined>,
  cwd: string,
  stdout: (line: string) => void,
  options: DoctorOptions = {},
): Promise<number> {
  const config = doctorConfigFromEnv(flags, env, cwd);
  // With --dev, serve reuses the secret it stored in the data directory.
  if (!config.secret && config.dev && config.dataDir) config.secret = await storedSecret(dirname(config.dataDir));
  const report = await runDoctor(config, options);
  stdout(formatDoctorReport(report));
  return report.ok ? 0 : 1;
}

async function storedSecret(dataDir: string): Promise<string | null> {
  try {
    const stored = JSON.parse(await readFile(join(dataDir, 'credentials.json'), 'utf8')) as { secret?: unknown };
    return typeof stored.secret === 'string' ? stored.secret : null;
  } catch {
    return null;
  }
}

function checkSecret(secret: string | null | undefined, dev: boolean): DoctorCheck {
  if (!secret && dev)
    return { name: 'secret', ok: true, message: 'BANTER_SECRET is not set: banter serve --dev generates one (development only)' };
  if (!secret) {
    return {
      name: 'secret',
      ok: false,
      message: `BANTER_SECRET is not set: user tokens cannot be signed. Set a random string of ${MIN_SECRET_LENGTH}+ characters (openssl rand -hex 32); banter serve --dev generates one for development only`,
    };
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    return {
      name: 'secret',
      ok: false,
      message: `BANTER_SECRET is too short: ${secret.length} characters, at least ${MIN_SECRET_LENGTH} are needed (openssl rand -hex 32)`,
    };
  }
  return { name: 'secret', ok: true, message: `BANTER_SECRET is set (${secret.length} characters)` };
}

async function checkDatabase(config: DoctorConfig, timeoutMs: number): Promise<DoctorCheck[]> {
  if (!config.databaseUrl) {
    // Opening PGlite here could clash with a running server on the same directory: check the directory only.
    const dir = config.dataDir ?? resolve('.banter', 'db');
    const writable = await firstWritable(dir);
    if (!writable)
      return [{ name: 'database', ok: false, message: `PGlite directory ${dir} cannot be created or written to: check its permissions` }];
    return [
      {
        name: 'database',
        ok: true,
        message: `embedded PGlite in ${dir} (no DATABASE_URL); ${writable === dir ? 'the directory is writable' : `${writable} is writable, the directory will be created`}`,
      },
    ];
  }
  let where: string;
  try {
    const url = new URL(config.databaseUrl);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error('not a PostgreSQL URL');
    where = `${url.hostname || 'localhost'}:${url.port || 5432}${url.pathname}`;
  } catch {
    return [{ name: 'database', ok: false, message: 'DATABASE_URL is not a PostgreSQL URL (postgres://user:password@host:5432/db)' }];
  }
  const database = createDatabase({ url: config.databaseUrl, maxConnections: 1 });
  try {
    await withTimeout(database.ping(), timeoutMs, 'the database ping');
  } catch (error) {
    await database.close().catch(() => {});
    return [{ name: 'database', ok: false, message: `cannot connect to PostgreSQL at ${where}: ${databaseReason(error)}` }];
  }
  try {
    const status = await withTimeout(database.migrationStatus(), timeoutMs, 'the migration status query');
    return [
      { name: 'database', ok: true, message: `PostgreSQL at ${where} answers` },
      status.current
        ? { name: 'migrations', ok: true, message: `up to date (${status.applied.length} applied)` }
        : {
            name: 'migrations',
            ok: true,
            message: `${status.pending.length} pending (${status.pending.join(', ')}): banter serve applies them on start, or run banter migrate`,
          },
    ];
  } catch (error) {
    return [{ name: 'migrations', ok: false, message: `cannot read the migration state at ${where}: ${databaseReason(error)}` }];
  } finally {
    await database.close().catch(() => {});
  }
}

async function checkRealtime(pusher: PusherConfig | Error | null, timeoutMs: number, windowS: number): Promise<DoctorCheck[]> {
  if (pusher instanceof Error) return [{ name: 'realtime', ok: false, message: pusher.message }];
  if (!pusher) return [{ name: 'realtime', ok: true, message: 'embedded relay (no PUSHER_* variables): nothing external to reach' }];
  const useTLS = pusher.useTLS ?? true;
  const host = pusher.host ?? `api-${pusher.cluster ?? 'mt1'}.pusher.com`;
  const origin = `${useTLS ? 'https' : 'http'}://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}${pusher.port ? `:${pusher.port}` : ''}`;
  const checks: DoctorCheck[] = [];

  // The clock first: a skewed clock makes every signed request fail, which would look like bad credentials.
  let skewS: number | null = null;
  try {
    const sentAt = Date.now();
    const response = await fetch(origin, { method: 'GET', signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    const receivedAt = Date.now();
    await response.body?.cancel().catch(() => {});
    const date = response.headers.get('date');
    const remote = date ? Date.parse(date) : Number.NaN;
    if (Number.isNaN(remote)) {
      checks.push({ name: 'clock', ok: true, message: `${origin} sent no Date header: clock not compared` });
    } else {
      // The Date header has 1 s resolution: compare with the middle of the round trip.
      skewS = Math.round(((sentAt + receivedAt) / 2 - remote) / 1000);
      const direction = skewS > 0 ? 'ahead of' : 'behind';
      checks.push(
        Math.abs(skewS) > windowS
          ? {
              name: 'clock',
              ok: false,
              message: `this machine's clock is ${Math.abs(skewS)} s ${direction} ${host}'s; Pusher refuses signed requests more than ${windowS} s off. Synchronize the clock (NTP: timedatectl set-ntp true)`,
            }
          : { name: 'clock', ok: true, message: `within ${Math.max(1, Math.abs(skewS))} s of ${host}'s clock (limit ${windowS} s)` },
      );
    }
  } catch (error) {
    checks.push({
      name: 'realtime',
      ok: false,
      message: `cannot reach ${origin}: ${networkReason(error)}. Check PUSHER_HOST, PUSHER_PORT and PUSHER_SCHEME`,
    });
    return checks;
  }

  const broadcaster = pusherBroadcaster(pusher);
  try {
    await broadcaster.ping!({ timeoutMs });
    checks.push({ name: 'realtime', ok: true, message: `${host} accepts the credentials of app ${pusher.appId}` });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    const status = error instanceof BroadcasterError ? error.status : undefined;
    let message: string;
    if (status === 401 || status === 403) {
      message = `${host} rejected the credentials (HTTP ${status}): check PUSHER_APP_KEY and PUSHER_APP_SECRET${skewS !== null && Math.abs(skewS) > windowS ? ', and fix the clock first (see above)' : ''}`;
    } else if (status === 404) message = `${host} does not know app ${pusher.appId} (HTTP 404): check PUSHER_APP_ID`;
    else message = `${host} did not accept a signed request: ${text}`;
    checks.push({ name: 'realtime', ok: false, message });
  } finally {
    await broadcaster.close?.().catch(() => {});
  }
  return checks;
}

async function checkPort(port: number, host: string): Promise<DoctorCheck> {
  if (port === 0) return { name: 'port', ok: true, message: 'port 0: a free port is picked at start' };
  return new Promise((done) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? `${host}:${port} is already in use (another banter serve?); stop it or pick --port`
          : error.code === 'EACCES'
            ? `no permission to listen on ${host}:${port} (ports below 1024 need privileges)`
            : `cannot listen on ${host}:${port}: ${error.message}`;
      done({ name: 'port', ok: false, message: reason });
    });
    server.listen(port, host, () => server.close(() => done({ name: 'port', ok: true, message: `${host}:${port} is free` })));
  });
}

async function firstWritable(dir: string): Promise<string | null> {
  for (let current = dir; ; current = dirname(current)) {
    try {
      await access(current, constants.W_OK);
      return current;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return null;
    }
    if (dirname(current) === current) return null;
  }
}

function databaseReason(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ECONNREFUSED') return 'connection refused; is PostgreSQL running on that host and port?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve; check the host in DATABASE_URL';
  if (code === '28P01' || code === '28000') return `authentication failed (${message}); check the user and password in DATABASE_URL`;
  if (code === '3D000') return `${message}; create it or fix the database name in DATABASE_URL`;
  return message || String(code ?? error);
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (nothing listens there)';
  if (cause?.code === 'ENOTFOUND') return 'the host name does not resolve';
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'no answer in time';
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}
