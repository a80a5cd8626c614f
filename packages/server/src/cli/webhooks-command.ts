import { listFailedWebhooks, retryFailedWebhooks } from '../webhooks/failed';
import { parseCommandArgs } from './args';
import { CliError } from './cli-error';
import type { DataCommandIo } from './data-commands';
import { HELP } from './help';

const DB_FLAGS = { 'database-url': { type: 'string' }, 'data-dir': { type: 'string' } } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `banter webhooks failed [--limit 50]` and `banter webhooks retry (--all | ID)`: the webhook dead
 * letters (docs/webhooks.md).
 *
 * @example
 * await webhooksCommand(['retry', '--all'], io);
 */
export async function webhooksCommand(args: string[], io: DataCommandIo): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === '--help' || sub === '-h') {
    io.stdout(HELP.webhooks!);
    return sub ? 0 : 2;
  }
  if (sub === 'failed') {
    const { values } = parseCommandArgs(rest, { limit: { type: 'string' }, ...DB_FLAGS }, 'webhooks failed');
    if (values.help) return (io.stdout(HELP.webhooks!), 0);
    const limitText = typeof values.limit === 'string' ? values.limit : '50';
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 1000)
      throw new CliError(`banter webhooks failed: --limit must be a number from 1 to 1000 (got "${limitText}")`);
    return io.withDatabase(values, io.env, io.cwd, async (database) => {
      const failed = await listFailedWebhooks(database.kysely, { limit });
      if (failed.length === 0) {
        io.stdout('No failed webhooks: everything was delivered or is still being retried.');
        return 0;
      }
      io.stdout(['ID', 'ENDPOINT', 'EVENT', 'ATTEMPTS', 'STATUS', 'DEAD SINCE', 'LAST ERROR'].join('\t'));
      for (const d of failed) {
        io.stdout([d.id, d.endpointId, d.event, d.attempts, d.lastStatus ?? '-', d.deadAt.toISOString(), d.lastError ?? ''].join('\t'));
      }
      io.stdout(`${failed.length} failed webhook(s). Send again with: banter webhooks retry --all (or an ID)`);
      return 0;
    });
  }
  if (sub === 'retry') {
    const { values, positionals } = parseCommandArgs(rest, { all: { type: 'boolean' }, ...DB_FLAGS }, 'webhooks retry', 1);
    if (values.help) return (io.stdout(HELP.webhooks!), 0);
    const id = positionals[0];
    if (values.all && id) throw new CliError('banter webhooks retry: give --all or an ID, not both');
    if (!values.all && !id)
      throw new CliError('banter webhooks retry: give --all or the ID of a failed webhook (see banter webhooks failed)');
    if (id && !UUID.test(id))
      throw new CliError(`banter webhooks retry: ID must be a delivery id as listed by banter webhooks failed (got "${id}")`);
    return io.withDatabase(values, io.env, io.cwd, async (database) => {
      const count = await retryFailedWebhooks(database.kysely, values.all ? { all: true } : { id: id! });
      if (count === 0 && id) throw new CliError(`banter webhooks retry: no failed webhook with ID ${id}`, 1);
      io.stdout(`Requeued ${count} webhook(s); running servers send them within seconds.`);
      return 0;
    });
  }
  throw new CliError(`banter webhooks: unknown subcommand "${sub}" (failed, retry)`);
}
