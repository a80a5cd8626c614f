import { EVENTS, type Message, REACTION_LIMITS, type ReactionSummary, type ReactionUpdatedEvent } from '@banter/core/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../db/types';
import { ApiError } from '../errors/api-error';
import { type RequestMeta, type StoreContext, transact } from './context';
import { participantIds, toEachUser } from './participant-events';
import { lockMessage, type MessageRef } from './message-lifecycle';

type Executor = Kysely<DB> | Transaction<DB>;

/**
 * The reactions of these messages as `viewerId` sees them, by message id (messages nobody reacted
 * to are absent), each in order of its emoji's first reaction.
 */
export async function reactionsOf(
  exec: Executor,
  messageIds: readonly string[],
  viewerId: string,
): Promise<Map<string, ReactionSummary[]>> {
  const byMessage = new Map<string, ReactionSummary[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await exec
    .selectFrom('message_reactions')
    .select([
      'message_id',
      'emoji',
      sql<number>`count(*)::int`.as('count'),
      sql<boolean>`bool_or(user_id = ${viewerId})`.as('mine'),
      sql<Date>`min(created_at)`.as('first'),
      sql<string[]>`(array_agg(user_id order by created_at, user_id))[1:${sql.lit(REACTION_LIMITS.namedUsers)}]`.as('user_ids'),
    ])
    .where('message_id', 'in', messageIds)
    .groupBy(['message_id', 'emoji'])
    .orderBy('first')
    .orderBy('emoji')
    .execute();
  for (const row of rows) {
    const list = byMessage.get(row.message_id) ?? [];
    list.push({ emoji: row.emoji, count: row.count, reactedByMe: row.mine, userIds: row.user_ids });
    byMessage.set(row.message_id, list);
  }
  return byMessage;
}

/**
 * Messages with their reaction summaries for `viewerId` (a message without reactions stays as it is).
 *
 * @example
 * ```ts
 * page.messages = await withReactions(db.kysely, page.messages, 'alice');
 * ```
 */
export async function withReactions(exec: Executor, messages: Message[], viewerId: string): Promise<Message[]> {
  const byMessage = await reactionsOf(
    exec,
    messages.map((m) => m.id),
    viewerId,
  );
  if (byMessage.size === 0) return messages;
  return messages.map((m) => (byMessage.has(m.id) ? { ...m, reactions: byMessage.get(m.id)! } : m));
}

/**
 * Add (`reacted: true`) or remove one emoji of the caller on a message: one of each emoji per user,
 * at most `REACTION_LIMITS.emojiPerMessage` different emoji per message (422). A change sends
 * `reaction.updated` to each participant; unread counts never move. Repeats change nothing.
 */
export async function setReaction(
  ctx: StoreContext,
  ref: MessageRef,
  emoji: string,
  reacted: boolean,
  meta: RequestMeta = {},
): Promise<{ reactions: ReactionSummary[] }> {
  return transact(ctx, async (trx, emit) => {
    const row = await lockMessage(trx, ref);
    if (row.deleted_at !== null) throw new ApiError('conflict', 'a deleted message cannot be reacted to');
    let changed: boolean;
    if (reacted) {
      const distinct = await trx
        .selectFrom('message_reactions')
        .select(sql<number>`count(distinct emoji)::int`.as('n'))
        .select(sql<boolean>`bool_or(emoji = ${emoji})`.as('has'))
        .where('message_id', '=', row.id)
        .executeTakeFirstOrThrow();
      if (!distinct.has && distinct.n >= REACTION_LIMITS.emojiPerMessage) {
        throw new ApiError('unprocessable', `a message takes at most ${REACTION_LIMITS.emojiPerMessage} different emoji`);
      }
      const inserted = await trx
        .insertInto('message_reactions')
        .values({ message_id: row.id, emoji, user_id: ref.userId })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      changed = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
    } else {
      const removed = await trx
        .deleteFrom('message_reactions')
        .where('message_id', '=', row.id)
        .where('emoji', '=', emoji)
        .where('user_id', '=', ref.userId)
        .executeTakeFirst();
      changed = Number(removed.numDeletedRows) > 0;
    }
    const reactions = (await reactionsOf(trx, [row.id], ref.userId)).get(row.id) ?? [];
    if (changed) {
      const payload: ReactionUpdatedEvent = {
        conversationId: ref.conversationId,
        messageId: row.id,
        seq: row.seq,
        emoji,
        userId: ref.userId,
        reacted,
        count: reactions.find((r) => r.emoji === emoji)?.count ?? 0,
      };
      const userIds = await participantIds(trx, ref.conversationId);
      emit(toEachUser(ref.conversationId, userIds, EVENTS.reactionUpdated, payload, ref.userId, meta));
    }
    return { reactions };
  });
}
