import type { Message, MessagePage } from '@banter/core/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/create-database';
import type { DB, MessageRow } from '../db/types';
import { messageCreatedRows } from '../outbox/events';
import type { ClaimedRow } from '../outbox/queries';
import { conversationNotFound, isParticipant } from './conversations';
import type { RequestMeta, StoreContext } from './context';
import { executeGrouped } from './group-commit';
import { executePrepared, table } from './prepared';
import { toMessage } from './map';
import { ensureUsers } from './users';
import type { ResolvedReferences } from './message-refs';
import { explainRefusal, sendGuardSql } from '../moderation/slow-mode';

type Executor = Kysely<DB> | Transaction<DB>;

export interface SendMessageInput {
  conversationId: string;
  senderId: string;
  body: string;
  /** Idempotency key: a repeat with the same (conversation, sender, clientId) returns the first message. */
  clientId: string | null;
  /** A host/system message: the sender need not be a participant (a users row is made for it). */
  system?: boolean;
  /** Upload ids to attach, in order, already checked (`uploads.prepare`); taken in the same statement. */
  attachments?: readonly string[];
  /** What the message refers to, already checked (`resolveReferences`, store/message-refs.ts). */
  refs?: ResolvedReferences;
  /** With a thread root: show the reply in the conversation too. */
  showInChannel?: boolean;
  /** Slow mode applies (an end user's send; the host's own calls are exempt). */
  slowMode?: boolean;
  /** The host's own data, already checked (operations/metadata.ts). */
  metadata?: Record<string, unknown>;
}

// Deadlock and serialization failures are worth one more try; the lock order makes them rare.
const RETRYABLE = new Set(['40001', '40P01']);

/** What the send statement returns: the stored message row. */
type SentRow = MessageRow & { events?: ClaimedRow[] };

/**
 * Store a message: the conversation row lock gives the next gapless seq, the other participants'
 * unread counters and everyone's activity move, and one `message.created` outbox row per
 * participant is written, all in ONE statement (data-modifying CTEs): one round trip and one
 * implicit transaction instead of a participant check, an idempotency look-up, begin, four
 * statements, notify and commit (see docs/performance.md).
 */
export async function sendMessage(
  ctx: StoreContext,
  input: SendMessageInput,
  meta: RequestMeta = {},
): Promise<{ message: Message; created: boolean }> {
  const exec = ctx.database.kysely;
  const { conversationId, senderId, clientId } = input;
  if (input.system) await ensureUsers(exec, [senderId]);

  const row = await storeMessage(ctx, input, meta);
  if (row) {
    const { events, ...stored } = row;
    // The rows it wrote go to the dispatcher's fast path, published straight after this commit.
    ctx.onEventsCommitted(events?.map((e) => ({ ...e, id: Number(e.id) })));
    return { message: toMessage(stored), created: true };
  }
  // Nothing stored: not a participant (or no such conversation), or a repeat of a stored send.
  if (!input.system && !(await isParticipant(exec, conversationId, senderId))) throw conversationNotFound(conversationId);
  const existing = clientId ? await findByClientId(exec, conversationId, senderId, clientId) : undefined;
  if (existing) return { message: existing, created: false };
  // A participant's new message refused by moderation (a blocked direct conversation, slow mode).
  if (!input.system) throw await explainRefusal(ctx.database, conversationId, senderId);
  throw conversationNotFound(conversationId);
}

/** The send statement; undefined when it stored nothing (see sendMessage). */
async function storeMessage(ctx: StoreContext, input: SendMessageInput, meta: RequestMeta): Promise<SentRow | undefined> {
  const { conversationId, senderId, clientId, body } = input;
  const system = input.system === true;
  // As text: both drivers pass it the same way; '' is no attachment at all.
  const attachmentIds = (input.attachments ?? []).join(',');
  const refs = input.refs ?? { quote: null, threadRoot: null, mentions: [] };
  const showInChannel = refs.threadRoot === null || input.showInChannel === true;
  // As JSON: user ids may hold commas, and both drivers pass a JSON text the same way.
  const mentions = JSON.stringify(refs.mentions);
  // The message fields a reply, a thread reply or a mention adds (as toMessage and withQuotes make them).
  const extra: Partial<Message> = {};
  if (refs.quote) extra.replyTo = refs.quote;
  if (refs.threadRoot) Object.assign(extra, { threadId: refs.threadRoot, showInChannel });
  if (refs.mentions.length > 0) extra.mentions = refs.mentions;
  if (input.metadata) extra.metadata = input.metadata;
  const metadata = input.metadata ? JSON.stringify(input.metadata) : null;
  const db = ctx.database;
  const events = messageCreatedRows(db, {
    conversationId,
    senderId,
    clientId,
    body,
    extra,
    socketId: meta.socketId,
    requestId: meta.requestId,
  });
  // - conv: the row lock orders concurrent sends of one conversation, so seq has no gaps. It bumps
  //   nothing for a stranger or for a clientId already stored (seen in this statement's snapshot).
  // - msg: a concurrent repeat committed while this one waited for the lock is not in the snapshot;
  //   its unique index then fails the insert, and the error rolls the whole statement (and the seq
  //   bump) back. ON CONFLICT DO NOTHING would leave a gap.
  // - parts: an UPDATE re-reads rows changed by sends that committed meanwhile (READ COMMITTED), so
  //   counters never lose an increment. SET expressions read the old row values.
  // - created_at is cut to milliseconds, so the event's createdAt (built in outbox/events.ts) and the API's
  //   (a JS Date) are the same string.
  const statement = sql<SentRow & { notified?: number }>`
    with conv as (
      update ${table(db, 'conversations')}
      set last_seq = last_seq + 1, last_message_at = date_trunc('milliseconds', clock_timestamp())
      where id = ${conversationId}::uuid
        and (${system}::boolean or exists (
          select 1 from ${table(db, 'participants')} where conversation_id = ${conversationId}::uuid and user_id = ${senderId}))
        and (${clientId}::text is null or not exists (
          select 1 from ${table(db, 'messages')}
          where conversation_id = ${conversationId}::uuid and sender_id = ${senderId} and client_id = ${clientId}::text))
        and ${sendGuardSql(db, { conversationId, senderId, system, slowMode: input.slowMode === true })}
      returning last_seq, last_message_at
    ),
    msg as (
      insert into ${table(db, 'messages')}
        (conversation_id, seq, sender_id, client_id, body, created_at, reply_to, thread_id, show_in_channel, mentions, metadata)
      select ${conversationId}::uuid, last_seq, ${senderId}, ${clientId}::text, ${body}, last_message_at,
        ${refs.quote?.id ?? null}::uuid, ${refs.threadRoot}::uuid, ${showInChannel}::boolean,
        array(select jsonb_array_elements_text(${mentions}::jsonb)), ${metadata}::jsonb
      from conv
      returning id, conversation_id, seq, sender_id, client_id, body, created_at, edited_at, deleted_at,
        reply_to, thread_id, show_in_channel, reply_count, last_reply_at, mentions, metadata, version
    ),
    root as (
      update ${table(db, 'messages')} r
      set reply_count = r.reply_count + 1, last_reply_at = msg.created_at
      from msg
      where r.id = msg.thread_id and r.conversation_id = msg.conversation_id
      returning r.id, r.seq, r.reply_count, r.last_reply_at
    ),
    parts as (
      update ${table(db, 'participants')} p
      set activity_at = conv.last_message_at,
          unread_count = case when p.user_id = ${senderId} then p.unread_count else p.unread_count + 1 end,
          last_read_seq = case when p.user_id = ${senderId} and p.unread_count = 0 then conv.last_seq else p.last_read_seq end,
          mention_seq = case when p.user_id <> ${senderId}
            and p.user_id in (select jsonb_array_elements_text(${mentions}::jsonb)) then conv.last_seq else p.mention_seq end,
          last_sent_at = case when p.user_id = ${senderId} then conv.last_message_at else p.last_sent_at end
      from conv
      where p.conversation_id = ${conversationId}::uuid
      returning p.user_id
    ),
    att as (
      update ${table(db, 'uploads')} u
      set message_id = msg.id, position = array_position(string_to_array(${attachmentIds}::text, ',')::uuid[], u.id)
      from msg
      where u.id = any(string_to_array(${attachmentIds}::text, ',')::uuid[])
        and u.message_id is null and u.uploader_id = ${senderId} and u.conversation_id = ${conversationId}::uuid
      returning u.id
    ),
    ${events.ctes}
    select msg.* ${events.columns} from msg`;
  for (let attempt = 1; ; attempt++) {
    try {
      // Concurrent sends share a transaction and its WAL flush (group-commit.ts).
      const row = (await executeGrouped(db, conversationId, statement))[0];
      if (!row) return undefined;
      delete row.notified;
      return row;
    } catch (error) {
      const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
      // A concurrent repeat of this send won: the caller answers with its message.
      if (code === '23505' && constraint === 'messages_idempotency') return undefined;
      if (attempt < 3 && typeof code === 'string' && RETRYABLE.has(code)) continue;
      throw error;
    }
  }
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
  database: Database,
  userId: string,
  conversationId: string,
  options: { limit: number; before?: number; after?: number },
): Promise<MessagePage | null> {
  const ascending = options.after !== undefined;
  // One round trip: the participant row gates the page (no row: not a participant; a row with a
  // null id: no messages in range).
  const rows = await executePrepared(
    database,
    sql<{ [K in keyof MessageRow]: MessageRow[K] | null }>`
    select m.* from ${table(database, 'participants')} p
    left join lateral (
      select id, conversation_id, seq, sender_id, client_id, body, created_at, edited_at, deleted_at,
        reply_to, thread_id, show_in_channel, reply_count, last_reply_at, mentions, pinned_at, pinned_by, metadata, version
      from ${table(database, 'messages')}
      where conversation_id = p.conversation_id
        ${
          // Thread replies not shown in the conversation stay out of its pages; a gap fill (`after`)
          // returns every seq, so a client's copy stays contiguous (it shows them by showInChannel).
          options.after === undefined ? sql`and show_in_channel` : sql``
        }
        ${options.after !== undefined ? sql`and seq > ${options.after}` : sql``}
        ${options.before !== undefined ? sql`and seq < ${options.before}` : sql``}
      order by seq ${ascending ? sql`asc` : sql`desc`}
      limit ${options.limit + 1}
    ) m on true
    where p.conversation_id = ${conversationId}::uuid and p.user_id = ${userId}`,
  );
  if (rows.length === 0) return null;
  const found = rows.filter((r): r is MessageRow => r.id !== null);
  const hasMore = found.length > options.limit;
  const page = found.slice(0, options.limit);
  if (!ascending) page.reverse();
  return { messages: page.map(toMessage), hasMore };
}
