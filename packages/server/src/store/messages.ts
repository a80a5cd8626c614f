import { EVENTS, type Message, type MessageCreatedEvent, type MessagePage, userChannel } from '@banter/core/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB } from '../db/types';
import type { OutboxEventInput } from '../outbox/enqueue';
import { conversationNotFound, isParticipant } from './conversations';
import { type RequestMeta, type StoreContext, transact } from './context';
import { toMessage } from './map';
import { ensureUsers } from './users';

type Executor = Kysely<DB> | Transaction<DB>;

/** Realtime services cap a payload near 10 KB; beyond this the event carries only the seq. */
export const MAX_EVENT_PAYLOAD_BYTES = 9000;

export interface SendMessageInput {
  conversationId: string;
  senderId: string;
  body: string;
  /** Idempotency key: a repeat with the same (conversation, sender, clientId) returns the first message. */
  clientId: string | null;
  /** A host/system message: the sender need not be a participant (a users row is made for it). */
  system?: boolean;
}

// Thrown inside the transaction to roll back the seq bump when a concurrent retry won the race.
class DuplicateSend extends Error {}

/**
 * Store a message: the conversation row lock gives the next gapless seq, the other participants'
 * unread counters and everyone's activity move in the same transaction, with one
 * `message.created` outbox row per participant.
 */
export async function sendMessage(
  ctx: StoreContext,
  input: SendMessageInput,
  meta: RequestMeta = {},
): Promise<{ message: Message; created: boolean }> {
  const exec = ctx.database.kysely;
  const { conversationId, senderId, clientId } = input;
  if (!input.system && !(await isParticipant(exec, conversationId, senderId))) throw conversationNotFound(conversationId);

  // A retried POST must not create a second message: clientId is the idempotency key.
  const existing = clientId ? await findByClientId(exec, conversationId, senderId, clientId) : undefined;
  if (existing) return { message: existing, created: false };

  try {
    return await transact(ctx, async (trx, emit) => {
      if (input.system) await ensureUsers(trx, [senderId]);
      // The row lock: concurrent sends to one conversation queue here, so seq has no gaps.
      const conversation = await trx
        .updateTable('conversations')
        .set((eb) => ({ last_seq: eb('last_seq', '+', 1), last_message_at: sql<Date>`clock_timestamp()` }))
        .where('id', '=', conversationId)
        .returning(['last_seq', 'last_message_at'])
        .executeTakeFirst();
      if (!conversation) throw conversationNotFound(conversationId);
      const seq = conversation.last_seq;
      const at = conversation.last_message_at!;

      const row = await trx
        .insertInto('messages')
        .values({ conversation_id: conversationId, seq, sender_id: senderId, client_id: clientId, body: input.body, created_at: at })
        .onConflict((oc) => oc.columns(['conversation_id', 'sender_id', 'client_id']).doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) throw new DuplicateSend();

      // One statement for every participant (fewer round trips per send, see docs/performance.md):
      // the others' unread counters move; the sender has seen everything when nothing of others is
      // unread, so their cursor follows. SET expressions read the old row values.
      const participants = await trx
        .updateTable('participants')
        .set({
          activity_at: at,
          unread_count: sql`case when user_id = ${senderId} then unread_count else unread_count + 1 end`,
          last_read_seq: sql`case when user_id = ${senderId} and unread_count = 0 then ${seq}::int else last_read_seq end`,
        })
        .where('conversation_id', '=', conversationId)
        .returning('user_id')
        .execute();
      const message = toMessage(row);
      emit(messageCreatedEvents(message, participants.map((p) => p.user_id), meta));
      return { message, created: true };
    });
  } catch (error) {
    if (!(error instanceof DuplicateSend)) throw error;
    const first = await findByClientId(exec, conversationId, senderId, clientId!);
    if (!first) throw error;
    return { message: first, created: false };
  }
}

function messageCreatedEvents(message: Message, userIds: string[], meta: RequestMeta): OutboxEventInput[] {
  let payload: MessageCreatedEvent = { conversationId: message.conversationId, seq: message.seq, message };
  if (Buffer.byteLength(JSON.stringify(payload)) > MAX_EVENT_PAYLOAD_BYTES) {
    payload = { conversationId: message.conversationId, seq: message.seq };
  }
  return userIds.map((userId) => ({
    conversationId: message.conversationId,
    channel: userChannel(userId),
    event: EVENTS.messageCreated,
    payload,
    socketId: userId === message.senderId ? (meta.socketId ?? null) : null,
    requestId: meta.requestId ?? null,
  }));
}

async function findByClientId(exec: Executor, conversationId: string, senderId: string, clientId: string) {
  const row = await exec
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('sender_id', '=', senderId)
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  return row ? toMessage(row) : undefined;
}

/**
 * A page of a conversation's history, always in ascending seq. No bound: the latest messages;
 * `before`: the newest messages below it; `after`: the oldest above it (gap filling).
 * Null when the user is not a participant.
 */
export async function listMessages(
  exec: Executor,
  userId: string,
  conversationId: string,
  options: { limit: number; before?: number; after?: number },
): Promise<MessagePage | null> {
  if (!(await isParticipant(exec, conversationId, userId))) return null;
  const ascending = options.after !== undefined;
  let query = exec.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId);
  if (options.after !== undefined) query = query.where('seq', '>', options.after);
  if (options.before !== undefined) query = query.where('seq', '<', options.before);
  const rows = await query
    .orderBy('seq', ascending ? 'asc' : 'desc')
    .limit(options.limit + 1)
    .execute();
  const hasMore = rows.length > options.limit;
  const page = rows.slice(0, options.limit);
  if (!ascending) page.reverse();
  return { messages: page.map(toMessage), hasMore };
}
