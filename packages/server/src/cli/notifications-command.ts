import { listFailedNotifications, notificationQueue, retryFailedNotifications } from '../notifications/failed';
import { parseCommandArgs } from './args';
import { CliError } from './cli-error';
import type { DataCommandIo } from './data-commands';
import { HELP } from './help';

const DB_FLAGS = { 'database-url': { type: 'string' }, 'data-dir': { type: 'string' } } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const age = (ms: number) =>
  ms < 120_000 ? `${Math.round(ms / 1000)}s` : ms < 7_200_000 ? `${Math.round(ms / 60_000)}m` : `${Math.round(ms / 3_600_000)}h`;

/**
 * `banter notifications status`, `banter notifications failed [--limit 50]` and
 * `banter notifications retry (--all | ID)`: the email and Web Push queue (docs/notifications.md).
 *
 * @example
 * await notificationsCommand(['status'], io);
 */
export async function notificationsCommand(args: string[], io: DataCommandIo): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h') {
    io.stdout(HELP.notifications!);
    return sub ? 0 : 2;
  }
  if (sub === 'status') {
    const { values } = parseCommandArgs(rest, DB_FLAGS, 'notifications status');
    if (values.help) return (io.stdout(HELP.notifications!), 0);
    return io.withDatabase(values, io.env, io.cwd, async (database) => {
      const queue = await notificationQueue(database.kysely);
      io.stdout(['CHANNEL', 'PENDING', 'DEAD', 'OLDEST PENDING'].join('\t'));
      for (const [channel, q] of Object.entries(queue)) {
        io.stdout([channel, q.pending, q.dead, q.pending ? age(q.oldestPendingAgeMs) : '-'].join('\t'));
      }
      return 0;
    });
  }
  if (sub === 'failed') {
    const { values } = parseCommandArgs(rest, { limit: { type: 'string' }, ...DB_FLAGS }, 'notifications failed');
    if (values.help) return (io.stdout(HELP.notifications!), 0);
    const limitText = typeof values.limit === 'string' ? values.limit : '50';
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 1000)
      throw new CliError(`banter notifications failed: --limit must be a number from 1 to 1000 (got "${limitText}")`);
    return io.withDatabase(values, io.env, io.cwd, async (database) => {
      const failed = await listFailedNotifications(database.kysely, { limit });
      if (failed.length === 0) {
        io.stdout('No failed notifications: every email and push was sent or is still being retried.');
        return 0;
      }
      io.stdout(['ID', 'CHANNEL', 'USER', 'CONVERSATION', 'ATTEMPTS', 'DEAD SINCE', 'LAST ERROR'].join('\t'));
      for (const d of failed) {
        io.stdout([d.id, d.channel, d.userId, d.conversationId ?? '-', d.attempts, d.deadAt.toISOString(), d.lastError ?? ''].join('\t'));
      }
      io.stdout(`${failed.length} failed notification(s). Send again with: banter notifications retry --all (or an ID)`);
      return 0;
    });
  }
  if (sub === 'retry') {
    const { values, positionals } = parseCommandArgs(rest, { all: { type: 'boolean' }, ...DB_FLAGS }, 'notifications retry', 1);
    if (values.help) return (io.stdout(HELP.notifications!), 0);
    const id = positionals[0];
    if (values.all && id) throw new CliError('banter notifications retry: give --all or an ID, not both');
    if (!values.all && !id)
      throw new CliError('banter notifications retry: give --all or the ID of a failed notification (see banter notifications failed)');
    if (id && !UUID.test(id))
      throw new CliError(`banter notifications retry: ID must be a delivery id as listed by banter notifications failed (got "${id}")`);
    return io.withDatabase(values, io.env, io.cwd, async (database) => {
      const count = await retryFailedNotifications(database.kysely, values.all ? { all: true } : { id: id! });
      if (count === 0 && id) throw new CliError(`banter notifications retry: no failed notification with ID ${id}`, 1);
      io.stdout(`Requeued ${count} notification(s); running servers send them at their next poll.`);
      return 0;
    });
  }
  throw new CliError(`banter notifications: unknown subcommand "${sub}" (status, failed, retry)`);
}
