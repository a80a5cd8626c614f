import { USER_CHANNEL_PREFIX } from '@banter/core/protocol';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../db/types';

/** One place a user id still appears: table, column and how many rows. */
export interface ErasureFinding {
  table: string;
  column: string;
  rows: number;
}

// Columns that hold user ids by name; every jsonb column is searched for the id as any string value.
const ID_COLUMN = /^(id|.*_id|.*_by)$/;

/**
 * Look for `userId` in every table of Banter's schema, found from the catalog (so a table added by
 * a later migration is scanned without a change here): each id-like text column by equality, each
 * jsonb column for the id as any string in it, each text[] for the id as an element, and the outbox channel of that user.
 *
 * @example
 * ```ts
 * const findings = await scanForUser(db.kysely, 'banter', 'alice'); // [] after an erasure
 * ```
 */
export async function scanForUser(exec: Kysely<DB>, schema: string, userId: string): Promise<ErasureFinding[]> {
  const columns = (
    await sql<{ table_name: string; column_name: string; data_type: string }>`
      select c.table_name, c.column_name, c.data_type
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = ${schema} and t.table_type = 'BASE TABLE'
        and (c.data_type in ('text', 'character varying', 'jsonb') or (c.data_type = 'ARRAY' and c.udt_name = '_text'))
      order by c.table_name, c.ordinal_position`.execute(exec)
  ).rows;
  const findings: ErasureFinding[] = [];
  for (const { table_name: table, column_name: column, data_type: type } of columns) {
    const target = sql.id(schema, table);
    const col = sql.id(column);
    let condition: RawBuilder<unknown>;
    // A text[] of user ids (messages.mentions).
    if (type === 'ARRAY') condition = sql`${userId}::text = any(${col})`;
    else if (type === 'jsonb') condition = sql`jsonb_path_exists(${col}, '$.** ? (@ == $id)', jsonb_build_object('id', ${userId}::text))`;
    else if (table === 'outbox' && column === 'channel') condition = sql`${col} = ${USER_CHANNEL_PREFIX + userId}`;
    // A direct conversation's key is the sorted pair of its users' ids, space-separated.
    else if (table === 'conversations' && column === 'direct_key') condition = sql`${userId}::text = any(string_to_array(${col}, ' '))`;
    else if (ID_COLUMN.test(column)) condition = sql`${col} = ${userId}`;
    else continue;
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${target} where ${condition}`.execute(exec);
    const count = Number(rows[0]?.n ?? 0);
    if (count > 0) findings.push({ table, column, rows: count });
  }
  return findings;
}
