import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { createDatabase } from '../db/create-database';
import { useCliFolder } from '../../test/kit/cli';

// The CLI on PGlite (its --data-dir); the queries behind it run on both databases in
// notifications/queue.integration.test.ts.
const folder = useCliFolder('banter-cli-notifications-', { banterDir: true });
const { cli } = folder;

describe('banter notifications status / failed / retry', () => {
  test('usage errors say what to give', async () => {
    expect((await cli(['notifications'])).code).toBe(2);
    expect((await cli(['notifications', 'retry'])).err).toContain('give --all or the ID');
    expect((await cli(['notifications', 'retry', '42'])).err).toContain('ID must be a delivery id');
    expect((await cli(['notifications', 'retry', '--all', '42'])).err).toContain('not both');
    expect((await cli(['notifications', 'failed', '--limit', 'x'])).err).toContain('--limit');
    expect((await cli(['notifications', 'dance'])).err).toContain('unknown subcommand');
    expect((await cli(['--help'])).out).toContain('notifications status');
  });

  test('counts the queue by channel, lists a dead email and requeues it', async () => {
    expect((await cli(['migrate'])).code).toBe(0);
    const database = createDatabase({ dataDir: join(folder.cwd, '.banter', 'db') });
    await sql`insert into users (id) values ('ann')`.execute(database.kysely);
    const { rows } = await sql<{ id: string }>`
      insert into notification_deliveries (user_id, channel, payload, attempts, last_error, dead_at)
      values ('ann', 'email', '{"conversationId":"c-1"}', 5, 'SMTP 550 mailbox unavailable', now()) returning id`.execute(database.kysely);
    await sql`
      insert into notification_deliveries (user_id, channel, payload, created_at)
      values ('ann', 'email', '{"conversationId":"c-2"}', now() - interval '10 minutes')`.execute(database.kysely);
    await database.close();
    const id = rows[0]!.id;

    const status = await cli(['notifications', 'status']);
    expect(status.code).toBe(0);
    expect(status.out.split('\n')).toEqual(['CHANNEL\tPENDING\tDEAD\tOLDEST PENDING', 'email\t1\t1\t10m', 'push\t0\t0\t-']);
    const failed = await cli(['notifications', 'failed']);
    expect(failed.out).toContain(`${id}\temail\tann\tc-1\t5\t`);
    expect(failed.out).toContain('SMTP 550 mailbox unavailable');
    expect((await cli(['notifications', 'retry', '00000000-0000-0000-0000-000000000000'])).code).toBe(1);
    expect((await cli(['notifications', 'retry', id])).out).toContain('Requeued 1 notification');
    expect((await cli(['notifications', 'failed'])).out).toContain('No failed notifications');
    expect((await cli(['notifications', 'status'])).out).toContain('email\t2\t0\t');
  }, 120_000);
});
