import { userChannel } from '@banter/core/protocol';
import type { Transaction } from 'kysely';
import type { DB } from '../db/types';
import type { OutboxEventInput } from '../outbox/enqueue';
import type { RequestMeta } from './context';

/** Everyone in the conversation, in a stable order (so events go out in the same order each time). */
export async function participantIds(trx: Transaction<DB>, conversationId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('participants')
    .select('user_id')
    .where('conversation_id', '=', conversationId)
    .orderBy('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

/**
 * One outbox row per user's own channel with the same payload. The actor's realtime socket gets no
 * echo of its own change (it already applied it); `actorId: null` echoes to everyone.
 */
export function toEachUser(
  conversationId: string,
  userIds: string[],
  event: string,
  payload: unknown,
  actorId: string | null,
  meta: RequestMeta,
): OutboxEventInput[] {
  return userIds.map((userId) => ({
    conversationId,
    channel: userChannel(userId),
    event,
    payload,
    socketId: actorId !== null && userId === actorId ? (meta.socketId ?? null) : null,
    requestId: meta.requestId ?? null,
  }));
}
