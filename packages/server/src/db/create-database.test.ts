import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../test/kit/describe-each-database';
import { migrationNames } from './migrations';

describeEachDatabase('createDatabase', (target) => {
  const db = useTestDatabase(target);

  it('migrates every migration and reports them current', async () => {
    const status = await db().migrationStatus();
    expect(status).toEqual({ applied: migrationNames, pending: [], current: true });
    // A second run (a restart, or a second instance) is a no-op.
    await expect(db().migrate()).resolves.toMatchObject({ current: true });
  });

  it('keeps the tables in its own schema and finds them by plain name', async () => {
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = ${db().schema} order by 1`.execute(db().kysely);
    expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['conversations', 'messages', 'outbox', 'participants', 'users']));
    await db().kysely.insertInto('users').values({ id: 'schema-check', name: null, avatar_url: null }).execute();
    const row = await db().kysely.selectFrom('users').selectAll().where('id', '=', 'schema-check').executeTakeFirstOrThrow();
    expect(row.created_at).toBeInstanceOf(Date);
  });

  it('reads outbox ids as numbers and payloads as JSON', async () => {
    const row = await db()
      .kysely.insertInto('outbox')
      .values({ conversation_id: null, channel: 'private-user.a', event: 'e', payload: JSON.stringify({ a: [1] }) })
      .returning(['id', 'payload', 'attempts', 'next_attempt_at'])
      .executeTakeFirstOrThrow();
    expect(typeof row.id).toBe('number');
    expect(row.payload).toEqual({ a: [1] });
    expect(row.attempts).toBe(0);
    expect(row.next_attempt_at).toBeInstanceOf(Date);
  });

  it('answers ping', async () => {
    await expect(db().ping()).resolves.toBeUndefined();
  });
});

it('refuses a schema name that is not an identifier', async () => {
  const { createDatabase } = await import('./create-database');
  expect(() => createDatabase({ schema: 'x"; drop table users; --' })).toThrow(/invalid schema name/);
});

it('keeps data in a dataDir and leaves a host-owned PGlite open', async () => {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { PGlite } = await import('@electric-sql/pglite');
  const { createDatabase } = await import('./create-database');
  const dir = await mkdtemp(join(tmpdir(), 'banter-pglite-'));
  try {
    const host = new PGlite(dir);
    const database = createDatabase({ pglite: host, schema: 'chat' });
    await database.migrate();
    await database.kysely.insertInto('users').values({ id: 'kept', name: 'Kept', avatar_url: null }).execute();
    await database.close();
    // Still the host's: Banter did not close it.
    expect((await host.query<{ n: number }>('select count(*)::int as n from chat.users')).rows[0]?.n).toBe(1);
    await host.close();

    const reopened = createDatabase({ dataDir: dir, schema: 'chat' });
    expect((await reopened.migrationStatus()).current).toBe(true);
    expect(await reopened.kysely.selectFrom('users').select('name').executeTakeFirst()).toEqual({ name: 'Kept' });
    await reopened.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 30_000);

it('refuses more than one of url, dataDir and pglite', async () => {
  const { createDatabase } = await import('./create-database');
  expect(() => createDatabase({ url: 'postgres://x', dataDir: '/tmp/x' })).toThrow(/at most one of url, dataDir and pglite/);
});

// Regression: PGlite creates only the last folder, so a fresh `.banter/data/db` path crashed at open.
it('opens a dataDir whose parent folders do not exist yet', async () => {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { createDatabase } = await import('./create-database');
  const root = await mkdtemp(join(tmpdir(), 'banter-nested-'));
  try {
    const database = createDatabase({ dataDir: join(root, 'a', 'b', 'db') });
    await database.migrate();
    await expect(database.ping()).resolves.toBeUndefined();
    await database.close();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}, 30_000);
