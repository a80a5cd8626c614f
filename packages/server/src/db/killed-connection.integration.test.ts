import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { createDatabase } from './create-database';

const url = process.env.TEST_DATABASE_URL;

// Regression (found by the chaos run): a backend killed while its pooled connection was checked out
// (inside a transaction, between two queries) emitted an unhandled 'error' and crashed the process.
if (url) {
  it('survives pg_terminate_backend on a connection in the middle of a transaction, and keeps serving', async () => {
    const name = `banter-kill-${randomBytes(4).toString('hex')}`;
    const errors: unknown[] = [];
    const withName = new URL(url);
    withName.searchParams.set('application_name', name);
    const database = createDatabase({
      url: withName.toString(),
      schema: `t_${randomBytes(6).toString('hex')}`,
      onError: (e) => errors.push(e),
    });
    const admin = createDatabase({ url });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      await database.migrate();
      const inTransaction = database.kysely.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        // Idle in transaction while the backend is killed.
        await sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = ${name} and state = 'idle in transaction'`.execute(
          admin.kysely,
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        await sql`select 2`.execute(trx);
      });
      await expect(inTransaction).rejects.toThrow();
      expect(uncaught).toEqual([]);
      expect(errors.length).toBeGreaterThan(0);
      // The broken connection left the pool: the next queries work.
      for (let i = 0; i < 3; i++) expect((await sql<{ n: number }>`select 1 as n`.execute(database.kysely)).rows[0]!.n).toBe(1);
    } finally {
      process.off('uncaughtException', onUncaught);
      await database.kysely.schema
        .dropSchema(database.schema)
        .ifExists()
        .cascade()
        .execute()
        .catch(() => {});
      await database.close();
      await admin.close();
    }
  });
} else {
  // PGlite has no backend to kill; its counterpart is a transaction that fails half-way: the one
  // connection must come back usable, or every later request would fail.
  it('keeps serving after a transaction fails half-way on PGlite', async () => {
    const database = createDatabase();
    try {
      await database.migrate();
      const failing = database.kysely.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        await sql`select * from no_such_table`.execute(trx);
      });
      await expect(failing).rejects.toThrow(/no_such_table/);
      for (let i = 0; i < 3; i++) expect((await sql<{ n: number }>`select 1 as n`.execute(database.kysely)).rows[0]!.n).toBe(1);
    } finally {
      await database.close();
    }
  }, 30_000);
}
