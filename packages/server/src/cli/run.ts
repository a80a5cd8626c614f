import { createRequire } from 'node:module';
import { join } from 'node:path';
import { userIdSchema } from '@banter/core/protocol';
import { createUserToken } from '../auth/tokens';
import { createDatabase, type Database } from '../db/create-database';
import { moduleDir } from '../standalone/module-dir';
import { parseCommandArgs } from './args';
import { lockPglite } from './pglite-lock';
import { CliError } from './cli-error';
import { databaseOptions, type Env, redactUrl, resolveDatabase, resolveSecret, resolveServeConfig } from './config';
import { eraseUserCommand, exportUserCommand, verifyErasureCommand } from './data-commands';
import { doctorCommand } from './doctor';
import { MODERATION_COMMANDS, moderationCommand } from './moderation-commands';
import { notificationsCommand } from './notifications-command';
import { webhooksCommand } from './webhooks-command';
import { HELP } from './help';
import { listFailedEvents, retryFailedEvents } from '../outbox/failed-events';
import { errorText, serve, type ServeIo } from './serve';

export interface CliIo extends Partial<Omit<ServeIo, 'stdout' | 'stderr' | 'cwd'>> {
  env?: Env;
  cwd?: string;
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
}

const DB_FLAGS = { 'database-url': { type: 'string' }, 'data-dir': { type: 'string' } } as const;
// doctor checks the configuration serve would run with, so both take exactly these flags.
const SERVE_FLAGS = { port: { type: 'string', short: 'p' }, host: { type: 'string' }, dev: { type: 'boolean' }, ...DB_FLAGS } as const;
const SPAN = /^\d+(\.\d+)?\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?|y|yrs?|years?)$/i;

/**
 * The `banter` command line. Returns the exit code: 0 done, 1 failed at run time, 2 wrong usage
 * (a one-line message naming the flag, no stack trace).
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(argv: string[], io: CliIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  const cwd = io.cwd ?? process.cwd();
  const stdout = io.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stderr = io.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  try {
    const [command, ...rest] = argv;
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      stdout(HELP.main!);
      return command ? 0 : 2;
    }
    if (command === '--version' || command === '-v') {
      stdout(version());
      return 0;
    }
    switch (command) {
      case 'serve': {
        const { values } = parseCommandArgs(rest, SERVE_FLAGS, 'serve');
        if (values.help) return help('serve', stdout);
        const config = await resolveServeConfig(values, env, cwd);
        return await serve(config, {
          stdout,
          stderr,
          cwd,
          ...(io.stopSignal ? { stopSignal: io.stopSignal } : {}),
          ...(io.onListening ? { onListening: io.onListening } : {}),
        });
      }
      case 'migrate': {
        const { values } = parseCommandArgs(rest, DB_FLAGS, 'migrate');
        if (values.help) return help('migrate', stdout);
        return await withDatabase(values, env, cwd, async (database, where) => {
          const before = await database.migrationStatus().catch(() => null);
          const status = await database.migrate();
          const applied = status.applied.filter((name) => !before?.applied.includes(name));
          stdout(
            applied.length
              ? `Applied ${applied.length} migration(s) to ${where}: ${applied.join(', ')}`
              : `${where} is up to date (${status.applied.length} migrations).`,
          );
          return 0;
        });
      }
      case 'token': {
        const { values, positionals } = parseCommandArgs(
          rest,
          { name: { type: 'string' }, 'expires-in': { type: 'string' }, 'data-dir': { type: 'string' } },
          'token',
          1,
        );
        if (values.help) return help('token', stdout);
        const userId = positionals[0];
        if (!userId) throw new CliError('banter token: give a user id, e.g. banter token alice');
        const parsedId = userIdSchema.safeParse(userId);
        if (!parsedId.success) throw new CliError(`banter token: invalid <userId> "${userId}": ${parsedId.error.issues[0]?.message}`);
        const expiresIn = typeof values['expires-in'] === 'string' ? values['expires-in'].trim() : '1h';
        if (!/^\d+$/.test(expiresIn) && !SPAN.test(expiresIn)) {
          throw new CliError(`banter token: --expires-in must be seconds or a span such as 30m, 12h, 7d (got "${expiresIn}")`);
        }
        const name = typeof values.name === 'string' ? values.name.trim() : undefined;
        const { dataDir } = resolveDatabase({ 'data-dir': values['data-dir'] }, env, cwd);
        const secret = await resolveSecret(env, dataDir);
        try {
          const token = await createUserToken(secret, parsedId.data, {
            expiresIn: /^\d+$/.test(expiresIn) ? Number(expiresIn) : expiresIn,
            ...(name ? { name } : {}),
          });
          stdout(token);
        } catch (error) {
          throw new CliError(`banter token: ${errorText(error).replace(/^banter: /, '')}`);
        }
        return 0;
      }
      case 'outbox':
        return await outbox(rest, env, cwd, stdout);
      case 'webhooks':
        return await webhooksCommand(rest, { env, cwd, stdout, withDatabase });
      case 'notifications':
        return await notificationsCommand(rest, { env, cwd, stdout, withDatabase });
      case 'doctor': {
        const { values } = parseCommandArgs(rest, { ...SERVE_FLAGS, 'verify-erasure': { type: 'string' } }, 'doctor');
        if (values.help) return help('doctor', stdout);
        if (values['verify-erasure'] !== undefined)
          return await verifyErasureCommand(String(values['verify-erasure']), values, { env, cwd, stdout, withDatabase });
        return await doctorCommand(values, env, cwd, stdout);
      }
      case 'erase-user': {
        const { values, positionals } = parseCommandArgs(rest, { tombstone: { type: 'boolean' }, ...DB_FLAGS }, 'erase-user', 1);
        if (values.help) return help('erase-user', stdout);
        return await eraseUserCommand(positionals[0], values, { env, cwd, stdout, withDatabase });
      }
      case 'export-user': {
        const { values, positionals } = parseCommandArgs(rest, DB_FLAGS, 'export-user', 1);
        if (values.help) return help('export-user', stdout);
        return await exportUserCommand(positionals[0], values, { env, cwd, stdout, withDatabase });
      }
      case 'reports':
      case 'ban':
      case 'unban':
      case 'delete-message':
        return (await moderationCommand(command, rest, { env, cwd, stdout, withDatabase })) ?? help(command, stdout);
      default:
        throw new CliError(
          `unknown command "${command}" (commands: serve, migrate, token, outbox, webhooks, notifications, doctor, erase-user, export-user, ${MODERATION_COMMANDS.join(', ')}; see banter --help)`,
        );
    }
  } catch (error) {
    if (error instanceof CliError) {
      stderr(error.message.startsWith('banter ') ? error.message : `banter: ${error.message}`);
      return error.exitCode;
    }
    stderr(`banter: ${errorText(error)}`);
    return 1;
  }
}

async function outbox(args: string[], env: Env, cwd: string, stdout: (line: string) => void): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h') {
    stdout(HELP.outbox!);
    return sub ? 0 : 2;
  }
  if (sub === 'failed') {
    const { values } = parseCommandArgs(rest, { limit: { type: 'string' }, ...DB_FLAGS }, 'outbox failed');
    if (values.help) return help('outbox', stdout);
    const limitText = typeof values.limit === 'string' ? values.limit : '50';
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 1000)
      throw new CliError(`banter outbox failed: --limit must be a number from 1 to 1000 (got "${limitText}")`);
    return withDatabase(values, env, cwd, async (database) => {
      const events = await listFailedEvents(database, { limit });
      if (events.length === 0) {
        stdout('No failed events: everything was delivered or is still being retried.');
        return 0;
      }
      stdout(['ID', 'EVENT', 'CHANNEL', 'ATTEMPTS', 'DEAD SINCE', 'LAST ERROR'].join('\t'));
      for (const e of events) stdout([e.id, e.event, e.channel, e.attempts, e.deadAt.toISOString(), e.lastError ?? ''].join('\t'));
      stdout(`${events.length} failed event(s). Replay with: banter outbox retry --all (or an ID)`);
      return 0;
    });
  }
  if (sub === 'retry') {
    const { values, positionals } = parseCommandArgs(rest, { all: { type: 'boolean' }, ...DB_FLAGS }, 'outbox retry', 1);
    if (values.help) return help('outbox', stdout);
    const id = positionals[0];
    if (values.all && id) throw new CliError('banter outbox retry: give --all or an ID, not both');
    if (!values.all && !id) throw new CliError('banter outbox retry: give --all or the ID of a failed event (see banter outbox failed)');
    if (id && !/^\d{1,15}$/.test(id)) throw new CliError(`banter outbox retry: ID must be a positive number (got "${id}")`);
    return withDatabase(values, env, cwd, async (database) => {
      const count = await retryFailedEvents(database, values.all ? { all: true } : { id: Number(id) });
      if (count === 0 && id) throw new CliError(`banter outbox retry: no failed event with ID ${id}`, 1);
      stdout(`Requeued ${count} event(s); running servers deliver them within seconds.`);
      return 0;
    });
  }
  throw new CliError(`banter outbox: unknown subcommand "${sub}" (failed, retry)`);
}

async function withDatabase(
  flags: Record<string, string | boolean | undefined>,
  env: Env,
  cwd: string,
  run: (database: Database, where: string) => Promise<number>,
): Promise<number> {
  const { database: choice } = resolveDatabase(flags, env, cwd);
  const where = choice.kind === 'postgres' ? `PostgreSQL ${redactUrl(choice.url)}` : `PGlite in ${choice.dir}`;
  const release = choice.kind === 'pglite' ? await lockPglite(choice.dir) : null;
  const database = createDatabase(databaseOptions(choice));
  try {
    try {
      await database.ping();
    } catch (error) {
      throw new CliError(`unable to open ${where}: ${errorText(error)}`, 1);
    }
    return await run(database, where);
  } finally {
    await database.close();
    await release?.();
  }
}

function help(command: string, stdout: (line: string) => void): number {
  stdout(HELP[command]!);
  return 0;
}

function version(): string {
  try {
    // Self-reference by package name: works from the sources and from dist alike.
    return (createRequire(join(moduleDir(), 'noop.js'))('@banter/server/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
