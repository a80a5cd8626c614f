import { afterAll, beforeAll, describe } from 'vitest';
import type { Database } from '../../src/db/create-database';
import { type DatabaseTarget, databaseTargets } from '../../src/testing/database-targets';

/**
 * Run a suite once per database target; test names start with `[pglite]` or `[postgres]`.
 * Vitest-only: not part of the public build (the public `@banter/server/testing` stays vitest-free).
 *
 * @example
 * ```ts
 * describeEachDatabase('messages', (target) => {
 *   const db = useTestDatabase(target);
 *   it('stores', async () => { await db().kysely.selectFrom('messages').execute(); });
 * });
 * ```
 */
export function describeEachDatabase(title: string, fn: (target: DatabaseTarget) => void): void {
  // Database tests share 2 cores with every other suite of `pnpm test`: allow for a busy machine.
  describe.each(databaseTargets())(`[$name] ${title}`, { timeout: 20_000 }, fn);
}

/** One database for the enclosing describe: created in beforeAll, closed (schema dropped) in afterAll. */
export function useTestDatabase(target: DatabaseTarget): () => Database {
  let database: Database | undefined;
  beforeAll(async () => {
    database = await target.create();
  }, 30_000);
  afterAll(async () => {
    await database?.close();
  });
  return () => {
    if (!database) throw new Error('test database not created yet (use it inside a test or hook)');
    return database;
  };
}
