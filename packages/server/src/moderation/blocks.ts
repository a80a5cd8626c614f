import { type Block, EVENTS, MODERATION_LIMITS, type UserBlockedEvent, userChannel } from '@banter/core/protocol';
import { ApiError } from '../errors/api-error';
import { conversationUpdatedEvents, loadConversationBases } from '../store/conversations';
import { type RequestMeta, type StoreContext, transact } from '../store/context';
import { iso } from '../store/map';
import { ensureUsers } from '../store/users';
import { directKeyOf } from './either-blocked';

/**
 * `blockerId` blocks (or unblocks) `blockedId`. Effects are two-way: no new direct conversation
 * between them, no message in their direct conversation either way (it reads `blocked: true`).
 * A repeat changes nothing and emits nothing. Emits `user.blocked` on the blocker's channel and
 * `conversation.updated` of their direct conversation to both.
 *
 * @example
 * ```ts
 * await setBlock(ctx, 'alice', 'mallory', true, {});
 * ```
 */
export async function setBlock(
  ctx: StoreContext,
  blockerId: string,
  blockedId: string,
  blocked: boolean,
  meta: RequestMeta,
): Promise<{ userId: string; blocked: boolean }> {
  if (blockerId === blockedId) throw new ApiError('unprocessable', 'unable to block yourself');
  return transact(ctx, async (trx, emit) => {
    let changed: boolean;
    if (blocked) {
      await ensureUsers(trx, [blockerId, blockedId]);
      const { n } = await trx
        .selectFrom('user_blocks')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('blocker_id', '=', blockerId)
        .executeTakeFirstOrThrow();
      const inserted = await trx
        .insertInto('user_blocks')
        .values({ blocker_id: blockerId, blocked_id: blockedId })
        .onConflict((oc) => oc.doNothing())
        .returning('blocked_id')
        .executeTakeFirst();
      changed = inserted !== undefined;
      if (changed && Number(n) >= MODERATION_LIMITS.blocksPerUser) {
        throw new ApiError('unprocessable', `unable to block ${blockedId}; at most ${MODERATION_LIMITS.blocksPerUser} blocked users`);
      }
    } else {
      const result = await trx
        .deleteFrom('user_blocks')
        .where('blocker_id', '=', blockerId)
        .where('blocked_id', '=', blockedId)
        .executeTakeFirst();
      changed = Number(result.numDeletedRows) > 0;
    }
    if (!changed) return { userId: blockedId, blocked };
    const payload: UserBlockedEvent = { blockerId, blockedId, blocked };
    const requestId = meta.requestId ?? null;
    emit([{ conversationId: null, channel: userChannel(blockerId), event: EVENTS.userBlocked, payload, requestId }]);
    const direct = await trx
      .selectFrom('conversations')
      .select('id')
      .where('direct_key', '=', directKeyOf(blockerId, blockedId))
      .executeTakeFirst();
    if (direct) {
      const base = (await loadConversationBases(trx, [direct.id])).get(direct.id);
      if (base) emit(conversationUpdatedEvents(base, meta));
    }
    return { userId: blockedId, blocked };
  });
}

/** Everyone `userId` blocked, newest first (at most MODERATION_LIMITS.blocksPerUser). */
export async function listBlocks(ctx: StoreContext, userId: string): Promise<Block[]> {
  const rows = await ctx.database.kysely
    .selectFrom('user_blocks')
    .select(['blocked_id', 'created_at'])
    .where('blocker_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('blocked_id')
    .limit(MODERATION_LIMITS.blocksPerUser)
    .execute();
  return rows.map((r) => ({ userId: r.blocked_id, createdAt: iso(r.created_at) }));
}
