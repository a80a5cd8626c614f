import type { Message } from '@banter/core/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/types';
import { conversationNotFound, isParticipant } from './conversations';
import { toMessage } from './map';
import { messageNotFound } from './message-lifecycle';

type Executor = Kysely<DB> | Transaction<DB>;

/**
 * A page of the replies in the thread of `rootId`, always in ascending seq, like a conversation's
 * pages: the latest, those below `before`, or those above `after`. 404 when the caller is not a
 * participant, or the root is not a message of the conversation.
 */
export async function listThread(
  exec: Executor,
  userId: string,
  conversationId: string,
  rootId: string,
  options: { limit: number; before?: number; after?: number },
): Promise<{ root: Message; messages: Message[]; hasMore: boolean }> {
  if (!(await isParticipant(exec, conversationId, userId))) throw conversationNotFound(conversationId);
  const root = await exec
    .selectFrom('messages')
    .selectAll()
    .where('id', '=', rootId)
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst();
  if (!root) throw messageNotFound(rootId);
  const ascending = options.after !== undefined;
  let query = exec
    .selectFrom('messages')
    .selectAll()
    .where('thread_id', '=', rootId)
    .where('conversation_id', '=', conversationId)
    .orderBy('seq', ascending ? 'asc' : 'desc')
    .limit(options.limit + 1);
  if (options.after !== undefined) query = query.where('seq', '>', options.after);
  if (options.before !== undefined) query = query.where('seq', '<', options.before);
  const rows = await query.execute();
  const hasMore = rows.length > options.limit;
  const page = rows.slice(0, options.limit);
  if (!ascending) page.reverse();
  return { root: toMessage(root), messages: page.map(toMessage), hasMore };
}
