import { type Conversation, EVENTS, LIMITS, userChannel } from '@banter/core/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { ConversationRow, DB, MessageRow } from '../db/types';
import { ApiError } from '../errors/api-error';
import { conversationUpdatedPayload } from '../outbox/bounded-payload';
import { type RequestMeta, type StoreContext, transact } from './context';
import { type ConversationBase, toMessage, toUser, viewFor } from './map';
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
  /** The host's own data, already checked; stored only when the conversation is new. */
  metadata?: Record<string, unknown>;
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
  // As JSON text: both drivers pass it the same way.
  const metadata = input.metadata ? sql<Record<string, unknown>>`${JSON.stringify(input.metadata)}::jsonb` : null;

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
        .values({ kind: 'direct', title: null, direct_key: directKey, created_by: creatorId, metadata })
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
        .values({ kind: 'group', title: input.title ?? null, direct_key: null, created_by: creatorId, metadata })
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

export { getConversation, listConversations } from './conversation-views';
