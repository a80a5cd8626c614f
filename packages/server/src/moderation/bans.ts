import type { BanResponse } from '@banter/core/protocol';
import { sql } from 'kysely';
import { conversationNotFound } from '../store/conversations';
import type { StoreContext } from '../store/context';
import { ensureUsers } from '../store/users';

/**
 * Ban a user from the whole app (`conversationId` null) or one conversation. A repeat changes
 * nothing. Every operation and channel authorization of that user is then refused (ban-check.ts).
 */
export async function banUser(
  ctx: StoreContext,
  input: { userId: string; conversationId: string | null; reason?: string },
): Promise<BanResponse> {
  const exec = ctx.database.kysely;
  if (input.conversationId !== null) {
    const found = await exec.selectFrom('conversations').select('id').where('id', '=', input.conversationId).executeTakeFirst();
    if (!found) throw conversationNotFound(input.conversationId);
  }
  await ensureUsers(exec, [input.userId]);
  // Any unique violation is the same ban again (bans_scope is an expression index: no column target).
  await sql`
    insert into bans (user_id, conversation_id, reason)
    values (${input.userId}, ${input.conversationId}::uuid, ${input.reason ?? null})
    on conflict do nothing`.execute(exec);
  return { userId: input.userId, conversationId: input.conversationId, banned: true };
}

/** Lift a ban (of that scope); lifting none is no error. */
export async function unbanUser(ctx: StoreContext, input: { userId: string; conversationId: string | null }): Promise<BanResponse> {
  let query = ctx.database.kysely.deleteFrom('bans').where('user_id', '=', input.userId);
  query =
    input.conversationId === null ? query.where('conversation_id', 'is', null) : query.where('conversation_id', '=', input.conversationId);
  await query.execute();
  return { userId: input.userId, conversationId: input.conversationId, banned: false };
}

/** The ban that applies to `userId` here: the app-wide one first, else this conversation's; null if none. */
export async function findBan(
  ctx: StoreContext,
  userId: string,
  conversationId: string | null,
): Promise<{ conversationId: string | null } | null> {
  const { rows } = await sql<{ conversation_id: string | null }>`
    select conversation_id from bans
    where user_id = ${userId} and (conversation_id is null or conversation_id = ${conversationId}::uuid)
    order by conversation_id nulls first
    limit 1`.execute(ctx.database.kysely);
  const row = rows[0];
  return row ? { conversationId: row.conversation_id } : null;
}
