import { type Conversation, type ConversationPage, EVENTS, LIMITS, userChannel } from '@banter/core/protocol';
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../db/create-database';
import type { ConversationRow, DB, MessageRow, ParticipantRow } from '../db/types';
import { ApiError } from '../errors/api-error';
import { conversationUpdatedPayload } from '../outbox/bounded-payload';
import { type RequestMeta, type StoreContext, transact } from './context';
import { decodeCursor, encodeCursor } from './cursor';
import { type ConversationBase, toMessage, toUser, viewFor } from './map';
import { executePrepared, table } from './prepared';
import { hostEvent } from '../outbox/host-event';
import { ensureUsers } from './users';
import { eitherBlocked } from '../moderation/either-blocked';

type Executor = Kysely<DB> | Transaction<DB>;

export const conversationNotFound = (id: string) => new ApiError('not_found', `conversation ${id} not found`);

/** True when the user takes part in the conversation (the gate of every conversation route). */
export async function isParticipant(exec: Executor, conversationId: string, userId: string): Promise<boolean> {
  const row = await exec
    .selectFrom('participants')
    .select('user_id')
    .where('conversation_id', '=', conversationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Everything about some conversations that is the same for each participant, in 3 queries. */
export async function loadConversationBases(exec: Executor, ids: string[]): Promise<Map<string, ConversationBase>> {
  const bases = new Map<string, ConversationBase>();
  if (ids.length === 0) return bases;
  const [rows, participants, lastMessages] = await Promise.all([
    exec.selectFrom('conversations').selectAll().where('id', 'in', ids).execute(),
    exec
      .selectFrom('participants as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .selectAll('p')
      .select(['u.name', 'u.avatar_url'])
      .where('p.conversation_id', 'in', ids)
      .orderBy('p.joined_at')
      .orderBy('p.user_id')
      .execute(),
    // The latest message still there (erasure and retention remove rows; seq stays unique): one
    // backward step of the (conversation_id, seq) index per conversation.
    sql<MessageRow>`
      select m.* from unnest(${ids}::uuid[]) as i(id)
      cross join lateral (select * from messages where conversation_id = i.id order by seq desc limit 1) m`
      .execute(exec)
      .then((result) => result.rows),
  ]);
  const blocked = await blockedDirect(exec, rows);
  for (const row of rows) bases.set(row.id, { row, participants: [], lastMessage: null, blocked: blocked.has(row.id) });
  for (const p of participants) {
    const { name, avatar_url, ...participant } = p;
    bases.get(p.conversation_id)?.participants.push({ participant, user: toUser({ id: p.user_id, name, avatar_url }) });
  }
  for (const m of lastMessages) {
    const base = bases.get(m.conversation_id);
    if (base) base.lastMessage = toMessage(m);
  }
  return bases;
}

/** The direct conversations among `rows` where one of the two blocked the other (one query, if any). */
async function blockedDirect(exec: Executor, rows: ConversationRow[]): Promise<Set<string>> {
  const pairs = rows.filter((r) => r.direct_key !== null).map((r) => r.direct_key!.split(' ') as [string, string]);
  if (pairs.length === 0) return new Set();
  const users = [...new Set(pairs.flat())];
  const found = await exec
    .selectFrom('user_blocks')
    .select(['blocker_id', 'blocked_id'])
    .where('blocker_id', 'in', users)
    .where('blocked_id', 'in', users)
    .execute();
  const keys = new Set(found.map((b) => [b.blocker_id, b.blocked_id].sort().join(' ')));
  return new Set(rows.filter((r) => r.direct_key !== null && keys.has(r.direct_key)).map((r) => r.id));
}

/** `conversation.updated` to each participant, each with their own view. */
export function conversationUpdatedEvents(base: ConversationBase, meta: RequestMeta, userIds?: string[]) {
  const targets = userIds ?? base.participants.map((p) => p.participant.user_id);
  return targets.map((userId) => ({
    conversationId: base.row.id,
    channel: userChannel(userId),
    event: EVENTS.conversationUpdated,
    payload: conversationUpdatedPayload(viewFor(base, userId)),
    requestId: meta.requestId ?? null,
  }));
}

/** `conversation.created` for the host's webhooks: ids and short fields (participants are bounded by LIMITS). */
function conversationCreatedHostEvent(base: ConversationBase, meta: RequestMeta) {
  const { id, kind, title, created_by } = base.row;
  const participantIds = base.participants.map((p) => p.participant.user_id);
  return hostEvent(
    'conversation.created',
    { conversationId: id, kind, title, createdBy: created_by, participantIds },
    { conversationId: id, requestId: meta.requestId },
  );
}

export interface CreateConversationInput {
  participantIds: string[];
  title?: string;
}

/**
 * Open the direct conversation with one other user (no title) or create a group. A direct
 * conversation is unique per pair, also when both sides open it at the same moment.
 */
export async function createConversation(
  ctx: StoreContext,
  creatorId: string,
  input: CreateConversationInput,
  meta: RequestMeta = {},
): Promise<{ conversation: Conversation; created: boolean }> {
  const others = [...new Set(input.participantIds)].filter((id) => id !== creatorId);
  if (others.length === 0) {
    throw new ApiError('unprocessable', 'unable to create conversation; it needs at least one participant besides you');
  }
  if (others.length + 1 > LIMITS.participants) {
    throw new ApiError('unprocessable', `unable to create conversation; at most ${LIMITS.participants} participants`);
  }
  const direct = others.length === 1 && input.title === undefined;

  return transact(ctx, async (trx, emit) => {
    await ensureUsers(trx, [creatorId, ...others]);
    let id: string;
    let created = true;
    if (direct) {
      // The sorted pair is unique: a concurrent open waits on the index, then finds the winner's row.
      const directKey = [creatorId, others[0]!].sort().join(' ');
      await refuseBlockedDirect(trx, creatorId, others[0]!, directKey);
      const inserted = await trx
        .insertInto('conversations')
        .values({ kind: 'direct', title: null, direct_key: directKey, created_by: creatorId })
        .onConflict((oc) => oc.column('direct_key').doNothing())
        .returning(['id', 'created_at'])
        .executeTakeFirst();
      if (inserted) {
        id = inserted.id;
        await insertParticipants(trx, id, [creatorId, ...others], inserted.created_at, null);
      } else {
        created = false;
        const existing = await trx.selectFrom('conversations').select('id').where('direct_key', '=', directKey).executeTakeFirstOrThrow();
        id = existing.id;
      }
    } else {
      const inserted = await trx
        .insertInto('conversations')
        .values({ kind: 'group', title: input.title ?? null, direct_key: null, created_by: creatorId })
        .returning(['id', 'created_at'])
        .executeTakeFirstOrThrow();
      id = inserted.id;
      // The creator of a group is its admin.
      await insertParticipants(trx, id, [creatorId, ...others], inserted.created_at, creatorId);
    }
    const base = (await loadConversationBases(trx, [id])).get(id)!;
    if (created) emit([...conversationUpdatedEvents(base, meta), conversationCreatedHostEvent(base, meta)]);
    return { conversation: viewFor(base, creatorId), created };
  });
}

/** No new direct conversation between two users when one blocked the other (an existing one still opens). */
async function refuseBlockedDirect(trx: Transaction<DB>, a: string, b: string, directKey: string): Promise<void> {
  if (!(await eitherBlocked(trx, a, b))) return;
  const existing = await trx.selectFrom('conversations').select('id').where('direct_key', '=', directKey).executeTakeFirst();
  if (existing) return;
  throw new ApiError('forbidden', `unable to create conversation; ${b} and you cannot message each other (blocked)`, {
    details: { reason: 'blocked' },
  });
}

/** New participant rows (members; `adminId` an admin), skipping any already there. */
export async function insertParticipants(
  trx: Transaction<DB>,
  conversationId: string,
  userIds: string[],
  activityAt: Date,
  adminId: string | null,
): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await trx
    .insertInto('participants')
    .values(
      userIds.map((user_id) => ({
        conversation_id: conversationId,
        user_id,
        activity_at: activityAt,
        role: user_id === adminId ? ('admin' as const) : ('member' as const),
      })),
    )
    .onConflict((oc) => oc.columns(['conversation_id', 'user_id']).doNothing())
    .returning('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

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
    select c.id, c.kind, c.title, c.direct_key, c.created_by, c.last_seq, c.last_message_at, c.created_at, c.slow_mode_seconds,
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
          'deleted_at', m.deleted_at)
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
