import type { SlowModeResponse } from '@banter/core/protocol';
import { type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/create-database';
import { ApiError } from '../errors/api-error';
import { conversationNotFound, conversationUpdatedEvents, loadConversationBases } from '../store/conversations';
import { type RequestMeta, type StoreContext, transact } from '../store/context';
import { table } from '../store/prepared';
import { eitherBlocked } from './either-blocked';
import { isConversationAdmin } from './admins';

/** Set a conversation's slow mode (0: off); every participant's view changes. */
export async function setSlowMode(
  ctx: StoreContext,
  conversationId: string,
  seconds: number,
  meta: RequestMeta,
): Promise<SlowModeResponse> {
  return transact(ctx, async (trx, emit) => {
    const row = await trx
      .updateTable('conversations')
      .set({ slow_mode_seconds: seconds === 0 ? null : seconds })
      .where('id', '=', conversationId)
      .returning('slow_mode_seconds')
      .executeTakeFirst();
    if (!row) throw conversationNotFound(conversationId);
    const base = (await loadConversationBases(trx, [conversationId])).get(conversationId);
    if (base) emit(conversationUpdatedEvents(base, meta));
    return { conversationId, slowModeSeconds: row.slow_mode_seconds };
  });
}

/**
 * The moderation part of the send statement's `conv` CTE (store/messages.ts), which updates the
 * conversations row: nothing is stored when the direct conversation is blocked either way, or when
 * slow mode is on and the sender (not an admin) sent less than that many seconds ago. Checked in
 * the statement itself, so a send costs no extra round trip; `explainRefusal` says why afterwards.
 */
export function sendGuardSql(db: Database, input: { conversationId: string; senderId: string; system: boolean; slowMode: boolean }) {
  const c = table(db, 'conversations');
  const pair = (a: 1 | 2, b: 1 | 2) =>
    sql`(b.blocker_id = split_part(${c}.direct_key, ' ', ${a}::int) and b.blocked_id = split_part(${c}.direct_key, ' ', ${b}::int))`;
  const notBlocked = sql`(${c}.kind <> 'direct' or not exists (
      select 1 from ${table(db, 'user_blocks')} b where ${pair(1, 2)} or ${pair(2, 1)}))`;
  const notSlowed = sql`(${c}.slow_mode_seconds is null or not ${input.slowMode}::boolean or ${adminSql(db, c, input.senderId)} or not exists (
      select 1 from ${table(db, 'participants')} sp
      where sp.conversation_id = ${input.conversationId}::uuid and sp.user_id = ${input.senderId}
        and sp.last_sent_at > clock_timestamp() - ${c}.slow_mode_seconds * interval '1 second'))`;
  return sql`(${input.system}::boolean or (${notBlocked} and ${notSlowed}))`;
}

/** Conversation admins (role `admin`, as admins.ts reads it), in SQL over the conversations row `c`. */
function adminSql(db: Database, c: RawBuilder<unknown>, userId: string) {
  return sql`exists (select 1 from ${table(db, 'participants')} ap where ap.conversation_id = ${c}.id and ap.user_id = ${userId} and ap.role = 'admin')`;
}

/**
 * Why a participant's send stored nothing, when it was neither a stranger's nor a repeat: 403
 * `forbidden` (reason `blocked`) or 429 `rate_limited` with Retry-After (reason `slow_mode`).
 */
export async function explainRefusal(db: Database, conversationId: string, senderId: string): Promise<ApiError> {
  const exec = db.kysely;
  const conv = await exec.selectFrom('conversations').selectAll().where('id', '=', conversationId).executeTakeFirst();
  if (!conv) return conversationNotFound(conversationId);
  if (conv.kind === 'direct' && conv.direct_key) {
    const [a, b] = conv.direct_key.split(' ') as [string, string];
    if (await eitherBlocked(exec, a, b)) {
      return new ApiError('forbidden', `unable to send message; conversation ${conversationId} is blocked (one of you blocked the other)`, {
        details: { reason: 'blocked' },
      });
    }
  }
  const seconds = conv.slow_mode_seconds;
  if (seconds !== null && !(await isConversationAdmin(exec, conversationId, senderId))) {
    const part = await exec
      .selectFrom('participants')
      .select('last_sent_at')
      .where('conversation_id', '=', conversationId)
      .where('user_id', '=', senderId)
      .executeTakeFirst();
    const last = part?.last_sent_at ? new Date(part.last_sent_at).getTime() : 0;
    const waitMs = last + seconds * 1000 - Date.now();
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    return new ApiError('rate_limited', `unable to send message; slow mode allows one message every ${seconds} s, wait ${retryAfter} s`, {
      details: { reason: 'slow_mode', slowModeSeconds: seconds, retryAfter },
      headers: { 'retry-after': String(retryAfter) },
    });
  }
  // Lost a race with a change of the conversation (a block, slow mode turned on): try again.
  return new ApiError('conflict', `unable to send message to conversation ${conversationId}; it changed meanwhile, try again`);
}
