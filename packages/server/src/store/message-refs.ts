import { LIMITS, type QuotedMessage } from '@banter/core/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/types';
import { ApiError } from '../errors/api-error';
import { conversationNotFound } from './conversations';
import { quoteOf } from './quotes';

type Executor = Kysely<DB> | Transaction<DB>;

export interface MessageReferences {
  replyTo?: string;
  threadId?: string;
  mentions?: readonly string[];
}

export interface ResolvedReferences {
  /** The quoted message as the reply shows it. */
  quote: QuotedMessage | null;
  /** The thread's root (a reply's id given as threadId means its root: threads are one level deep). */
  threadRoot: string | null;
  /** Distinct, in the order given. */
  mentions: string[];
}

const refused = (reason: string, message: string, details: Record<string, unknown> = {}) =>
  new ApiError('unprocessable', `unable to send message; ${message}`, { details: { reason, ...details } });

/**
 * Checks what a send points at, before the send statement: the quoted message and the thread root
 * are messages of this conversation (else 422 `reply_outside_conversation`), mentions name
 * participants only (else 422 `mention_not_participant`). A sender who is not a participant gets
 * 404 first, so a stranger learns nothing of the messages. One query, only for sends that refer to something.
 */
export async function resolveReferences(
  exec: Executor,
  conversationId: string,
  senderId: string,
  system: boolean,
  refs: MessageReferences,
): Promise<ResolvedReferences> {
  const mentions = [...new Set(refs.mentions ?? [])];
  const resolved: ResolvedReferences = { quote: null, threadRoot: null, mentions };
  const messageIds = [refs.replyTo, refs.threadId].filter((id): id is string => id !== undefined);
  if (messageIds.length === 0 && mentions.length === 0) return resolved;
  if (mentions.length > LIMITS.mentions) throw refused('too_many_mentions', `at most ${LIMITS.mentions} mentions`);
  const people = await exec
    .selectFrom('participants')
    .select('user_id')
    .where('conversation_id', '=', conversationId)
    .where('user_id', 'in', [senderId, ...mentions])
    .execute();
  const present = new Set(people.map((p) => p.user_id));
  if (!system && !present.has(senderId)) throw conversationNotFound(conversationId);
  const strangers = mentions.filter((id) => !present.has(id));
  if (strangers.length > 0) {
    throw refused('mention_not_participant', 'only participants of the conversation can be mentioned', { userIds: strangers });
  }
  if (messageIds.length === 0) return resolved;
  const rows = await exec
    .selectFrom('messages')
    .select(['id', 'conversation_id', 'seq', 'sender_id', 'body', 'deleted_at', 'thread_id'])
    .where(
      'id',
      'in',
      messageIds.map((id) => id.toLowerCase()),
    )
    .execute();
  const find = (id: string) => {
    const row = rows.find((r) => r.id === id.toLowerCase());
    // Another conversation's message is refused like a missing one: its existence is no business of the sender.
    if (!row || row.conversation_id !== conversationId) {
      throw refused('reply_outside_conversation', `message ${id} is not a message of conversation ${conversationId}`, { messageId: id });
    }
    return row;
  };
  if (refs.replyTo !== undefined) {
    resolved.quote = quoteOf(find(refs.replyTo));
  }
  if (refs.threadId !== undefined) {
    const row = find(refs.threadId);
    resolved.threadRoot = row.thread_id ?? row.id;
  }
  return resolved;
}
