import { resolve } from 'node:path';
import type { PusherConfig } from '../realtime/broadcaster';
import { broadcasterConfigFromEnv } from '../realtime/config-from-env';
import { type Env, resolveDatabase, resolveListen } from './config';

/** What `banter doctor` checks: the settings `banter serve` would run with. */
export interface DoctorConfig {
  /** PostgreSQL URL; without it, PGlite in `dataDir`. */
  databaseUrl?: string | null;
  /** PGlite's directory (when no databaseUrl). */
  dataDir?: string | null;
  secret?: string | null;
  /** `banter serve --dev`: a missing secret is generated on start, not an error. */
  dev?: boolean;
  /** Pusher, Soketi or Reverb; null = the embedded relay. An Error: the PUSHER_* variables are incomplete. */
  pusher?: PusherConfig | Error | null;
  /** Where `serve` would listen; checked for being free when given. */
  listen?: { port: number; host: string } | null;
}

type Flags = {
  'database-url'?: string | boolean;
  'data-dir'?: string | boolean;
  port?: string | boolean;
  host?: string | boolean;
  dev?: string | boolean;
};

/**
 * The doctor's view of the configuration, read by the same functions as `banter serve`
 * (cli/config.ts: flags win over env, the same defaults). Where serve would refuse a value, the
 * doctor keeps what it can, so its checks can say what is wrong instead of stopping at the first.
 *
 * @example
 * const config = doctorConfigFromEnv({ 'database-url': 'postgres://localhost/app' }, process.env, process.cwd());
 */
export function doctorConfigFromEnv(flags: Flags, env: Env, cwd: string): DoctorConfig {
  const text = (value: string | boolean | undefined) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
  let databaseUrl: string | null;
  let dataDir: string;
  try {
    const resolved = resolveDatabase(flags, env, cwd);
    databaseUrl = resolved.database.kind === 'postgres' ? resolved.database.url : null;
    dataDir = resolved.dataDir;
  } catch {
    // A malformed URL: the database check names the problem.
    const flagDir = text(flags['data-dir']);
    databaseUrl = text(flags['database-url']) ?? (flagDir ? null : (text(env.DATABASE_URL) ?? null));
    dataDir = resolve(cwd, flagDir ?? text(env.BANTER_DATA_DIR) ?? '.banter');
  }
  let pusher: PusherConfig | Error | null;
  try {
    pusher = broadcasterConfigFromEnv(env);
  } catch (error) {
    pusher = error instanceof Error ? error : new Error(String(error));
  }
  let listen: { port: number; host: string };
  try {
    listen = resolveListen(flags, env);
  } catch {
    listen = { port: 3000, host: text(flags.host) ?? text(env.HOST) ?? '127.0.0.1' };
  }
  return {
    databaseUrl,
    dataDir: resolve(dataDir, 'db'),
    secret: text(env.BANTER_SECRET) ?? null,
    dev: flags.dev === true,
    pusher,
    listen,
  };
}
