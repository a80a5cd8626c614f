import type { Kysely } from 'kysely';
import type { DB } from '../db/types';

/** Who administers a conversation: its participants with role `admin` (a group's creator, or made one). */
export async function isConversationAdmin(exec: Kysely<DB>, conversationId: string, userId: string): Promise<boolean> {
  const row = await exec
    .selectFrom('participants')
    .select('role')
    .where('conversation_id', '=', conversationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role === 'admin';
}
