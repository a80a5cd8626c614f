import type { Conversation, ConversationPage } from '@banter/core/protocol';
import { type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/create-database';
import type { ConversationRow, MessageRow, ParticipantRow } from '../db/types';
import { ApiError } from '../errors/api-error';
import { decodeCursor, encodeCursor } from './cursor';
import { type ConversationBase, toMessage, toUser, viewFor } from './map';
import { executePrepared, table } from './prepared';

// Conversations as one user reads them (one statement per page); the writes are in conversations.ts.
/** One conversation as the user sees it; null when it does not exist or they are not in it. */
export async function getConversation(database: Database, userId: string, conversationId: string): Promise<Conversation | null> {
  const rows = await loadViews(
    database,
    userId,
    sql`
    select conversation_id, activity_at from ${table(database, 'participants')}
    where conversation_id = ${conversationId}::uuid and user_id = ${userId}`,
  );
  return rows[0]?.conversation ?? null;
}

interface ViewRow {
  conversation: Conversation;
  micros: string;
}

/**
 * The conversations a `page` query names (columns conversation_id, activity_at; at most one row
 * per conversation), as the user sees them, in the page's order (latest activity first): one
 * statement, where loadConversationBases takes three queries on three pooled connections. The
 * participants and the last message come back as JSON; their timestamps go through `iso` like
 * the rows' do.
 */
async function loadViews(database: Database, userId: string, page: RawBuilder<unknown>): Promise<ViewRow[]> {
  const t = (name: string) => table(database, name);
  const rows = await executePrepared(
    database,
    sql<ConversationRow & { micros: string; blocked: boolean; participants: JsonParticipant[]; last_message: MessageRow | null }>`
    with page as (${page})
    select c.id, c.kind, c.title, c.direct_key, c.created_by, c.last_seq, c.last_message_at, c.created_at, c.slow_mode_seconds, c.metadata,
      (c.kind = 'direct' and exists (
        select 1 from ${t('user_blocks')} b
        where (b.blocker_id = split_part(c.direct_key, ' ', 1) and b.blocked_id = split_part(c.direct_key, ' ', 2))
           or (b.blocker_id = split_part(c.direct_key, ' ', 2) and b.blocked_id = split_part(c.direct_key, ' ', 1)))) as blocked,
      ((extract(epoch from page.activity_at) * 1000000)::bigint)::text as micros,
      (select json_agg(json_build_object(
          'conversation_id', p.conversation_id, 'user_id', p.user_id, 'last_read_seq', p.last_read_seq,
          'unread_count', p.unread_count, 'activity_at', p.activity_at, 'joined_at', p.joined_at, 'mention_seq', p.mention_seq, 'role', p.role, 'muted', p.muted,
          'name', u.name, 'avatar_url', u.avatar_url) order by p.joined_at, p.user_id)
        from ${t('participants')} p join ${t('users')} u on u.id = p.user_id
        where p.conversation_id = c.id) as participants,
      (select json_build_object(
          'id', m.id, 'conversation_id', m.conversation_id, 'seq', m.seq, 'sender_id', m.sender_id,
          'client_id', m.client_id, 'body', m.body, 'created_at', m.created_at, 'edited_at', m.edited_at,
          'deleted_at', m.deleted_at, 'metadata', m.metadata, 'version', m.version)
        from ${t('messages')} m where m.conversation_id = c.id order by m.seq desc limit 1) as last_message
    from page join ${t('conversations')} c on c.id = page.conversation_id
    order by page.activity_at desc, page.conversation_id desc`,
  );
  return rows.map(({ micros, participants, last_message, blocked, ...row }) => {
    const base: ConversationBase = {
      row,
      blocked,
      participants: (participants ?? []).map(({ name, avatar_url, ...participant }) => ({
        participant: participant as unknown as ParticipantRow,
        user: toUser({ id: participant.user_id, name, avatar_url }),
      })),
      lastMessage: last_message ? toMessage(last_message) : null,
    };
    return { conversation: viewFor(base, userId), micros };
  });
}

/** A participant row with its user's profile, as json_build_object gives it (timestamps as text). */
interface JsonParticipant {
  conversation_id: string;
  user_id: string;
  last_read_seq: number;
  unread_count: number;
  activity_at: string;
  joined_at: string;
  mention_seq: number;
  role: 'member' | 'admin';
  muted: boolean;
  name: string | null;
  avatar_url: string | null;
}

/** The user's conversations, latest activity first: one walk of participants_user_activity. */
export async function listConversations(
  database: Database,
  userId: string,
  options: { limit: number; cursor?: string },
): Promise<ConversationPage> {
  const after = options.cursor === undefined ? null : decodeCursor(options.cursor);
  if (options.cursor !== undefined && !after) {
    throw new ApiError('validation_failed', 'invalid cursor; pass the nextCursor of a previous page', {
      details: [{ path: 'cursor', message: 'not a cursor from this server' }],
    });
  }
  const rows = await loadViews(
    database,
    userId,
    sql`
    select p.conversation_id, p.activity_at
    from ${table(database, 'participants')} p
    where p.user_id = ${userId}
    ${
      after
        ? sql`and (p.activity_at, p.conversation_id) <
              (timestamptz 'epoch' + ${after.activityMicros}::bigint * interval '1 microsecond', ${after.conversationId}::uuid)`
        : sql``
    }
    order by p.activity_at desc, p.conversation_id desc
    limit ${options.limit + 1}`,
  );
  const conversations = rows.slice(0, options.limit).map((r) => r.conversation);
  const last = rows[options.limit - 1];
  const nextCursor =
    rows.length > options.limit && last ? encodeCursor({ activityMicros: last.micros, conversationId: last.conversation.id }) : null;
  return { conversations, nextCursor };
}
