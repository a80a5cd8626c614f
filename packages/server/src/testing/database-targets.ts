import { randomBytes } from 'node:crypto';
import { createDatabase, type Database } from '../db/create-database';

/** One database a storage test runs on. */
export interface DatabaseTarget {
  name: 'pglite' | 'postgres';
  /**
   * A fresh, migrated database in a new unique schema (`t_<random>`); its `close()` drops the schema.
   * Creating a PGlite costs about a second: create one per test file, not per test.
   */
  create(options?: { migrate?: boolean }): Promise<Database>;
}

/**
 * The databases to run storage tests on: always PGlite (in memory), plus PostgreSQL when
 * `TEST_DATABASE_URL` is set.
 *
 * @example
 * ```ts
 * for (const target of databaseTargets()) {
 *   const database = await target.create();
 *   // ... use database.kysely ...
 *   await database.close(); // drops the test schema
 * }
 * ```
 */
export function databaseTargets(env: Record<string, string | undefined> = process.env): DatabaseTarget[] {
  const targets: DatabaseTarget[] = [{ name: 'pglite', create: (options) => createIsolated({}, options) }];
  const url = env.TEST_DATABASE_URL;
  if (url) targets.push({ name: 'postgres', create: (options) => createIsolated({ url }, options) });
  return targets;
}

async function createIsolated(base: { url?: string }, options: { migrate?: boolean } = {}): Promise<Database> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const database = createDatabase({ ...base, schema, maxConnections: 20 });
  if (options.migrate !== false) await database.migrate();
  const close = database.close.bind(database);
  let closed = false;
  return Object.assign(database, {
    async close() {
      if (closed) return;
      closed = true;
      try {
        await database.kysely.schema.dropSchema(schema).ifExists().cascade().execute();
      } finally {
        await close();
      }
    },
  });
}
