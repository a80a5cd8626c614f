import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/types';

/** The direct conversation's key: the sorted pair, as store/conversations.ts makes it. */
export const directKeyOf = (a: string, b: string) => [a, b].sort().join(' ');

/** True when either of the two blocked the other. */
export async function eitherBlocked(exec: Kysely<DB>, a: string, b: string): Promise<boolean> {
  const { rows } = await sql<{ one: number }>`
    select 1 as one from user_blocks
    where (blocker_id = ${a} and blocked_id = ${b}) or (blocker_id = ${b} and blocked_id = ${a})
    limit 1`.execute(exec);
  return rows.length > 0;
}
