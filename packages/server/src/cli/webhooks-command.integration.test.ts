import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { createDatabase } from '../db/create-database';
import { useCliFolder } from '../../test/kit/cli';

const folder = useCliFolder('banter-cli-webhooks-', { banterDir: true });
const { cli } = folder;

describe('banter webhooks failed / retry', () => {
  test('usage errors say what to give', async () => {
    expect((await cli(['webhooks'])).code).toBe(2);
    expect((await cli(['webhooks', 'retry'])).err).toContain('give --all or the ID');
    expect((await cli(['webhooks', 'retry', '42'])).err).toContain('ID must be a delivery id');
    expect((await cli(['webhooks', 'retry', '--all', '42'])).err).toContain('not both');
    expect((await cli(['webhooks', 'failed', '--limit', '0'])).err).toContain('--limit');
    expect((await cli(['webhooks', 'dance'])).err).toContain('unknown subcommand');
    expect((await cli(['--help'])).out).toContain('webhooks failed');
  });

  test('lists a dead webhook delivery and requeues it', async () => {
    const migrate = await cli(['migrate']);
    expect(migrate.err).toBe('');
    expect(migrate.code).toBe(0);
    // A dead letter, as the worker leaves one after its last attempt.
    const database = createDatabase({ dataDir: join(folder.cwd, '.banter', 'db') });
    await sql`insert into webhook_endpoints (id, url, events) values ('crm', 'https://crm.example/hooks', '{*}')`.execute(database.kysely);
    const { rows } = await sql<{ id: string }>`
      insert into webhook_deliveries (endpoint_id, event, payload, dedupe_key, attempts, last_status, last_error, dead_at)
      values ('crm', 'message.created', '{}', 'k1', 12, 503, 'HTTP 503', now()) returning id`.execute(database.kysely);
    await database.close();
    const id = rows[0]!.id;

    const failed = await cli(['webhooks', 'failed']);
    expect(failed.code).toBe(0);
    expect(failed.out).toContain(`${id}\tcrm\tmessage.created\t12\t503`);
    expect((await cli(['webhooks', 'retry', '00000000-0000-0000-0000-000000000000'])).code).toBe(1);
    const retried = await cli(['webhooks', 'retry', id]);
    expect(retried.out).toContain('Requeued 1 webhook');
    expect((await cli(['webhooks', 'failed'])).out).toContain('No failed webhooks');
    expect((await cli(['webhooks', 'retry', '--all'])).out).toContain('Requeued 0');
  }, 120_000);
});
