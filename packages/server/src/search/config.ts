import { sql } from 'kysely';
import type { Database } from '../db/create-database';

/** A text search configuration's name (optionally schema-qualified), e.g. `simple`, `english`. */
const CONFIG_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

/** The configuration option, checked at construction (a typo fails fast, not at the first search). */
export function searchConfigOf(config: string | undefined): string {
  const name = config ?? 'simple';
  if (!CONFIG_NAME.test(name)) throw new TypeError(`banter: search.config ${JSON.stringify(name)} is not a text search configuration name`);
  return name;
}

/**
 * Make the index use `config`: when the stored one differs, point the trigger at it and rebuild
 * every vector, in one transaction (the settings row lock serializes instances that start
 * together). Costs one select when nothing changed; a change re-indexes every message once.
 *
 * @example
 * ```ts
 * await syncSearchConfig(database, 'english'); // after migrations
 * ```
 */
export async function syncSearchConfig(database: Database, config: string): Promise<void> {
  const current = await sql<{ config: string }>`select config from search_settings`.execute(database.kysely);
  if (current.rows[0]?.config === config) return;
  await database.kysely.transaction().execute(async (trx) => {
    const locked = await sql<{ config: string }>`select config from search_settings for update`.execute(trx);
    if (locked.rows[0]?.config === config) return;
    // Fails with PostgreSQL's own message when no such configuration exists.
    await sql`select ${config}::regconfig`.execute(trx);
    await sql`drop trigger if exists message_search_vector on messages`.execute(trx);
    // The name is checked by searchConfigOf: safe as a literal (a trigger argument cannot be a parameter).
    await sql`
      create trigger message_search_vector before insert or update of body, deleted_at on messages
      for each row execute function message_search_vector(${sql.lit(config)})`.execute(trx);
    await sql`update messages set search_vector = to_tsvector(${config}::regconfig, body) where deleted_at is null`.execute(trx);
    await sql`update search_settings set config = ${config}`.execute(trx);
  });
}
