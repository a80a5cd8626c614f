import { canonicalJson } from '../util/canonical-json';
import {
  type Conversation,
  EVENTS,
  LIMITS,
  type ParticipantAddedEvent,
  type ParticipantRemovedEvent,
  type ParticipantRole,
} from '@banter/core/protocol';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { ConversationRow, DB } from '../db/types';
import { ApiError } from '../errors/api-error';
import { disconnectUserStep } from '../outbox/steps';
import { type RequestMeta, type StoreContext, transact } from './context';
import { toEachUser } from './participant-events';
import { conversationNotFound, conversationUpdatedEvents, insertParticipants, loadConversationBases } from './conversations';
import { viewFor } from './map';
import { ensureUsers } from './users';

type Executor = Kysely<DB> | Transaction<DB>;

/** The user's role in the conversation; null when they are not in it. */
export async function participantRole(exec: Executor, conversationId: string, userId: string): Promise<ParticipantRole | null> {
  const row = await exec
    .selectFrom('participants')
    .select('role')
    .where('conversation_id', '=', conversationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role ?? null;
}

const directRefused = (what: string) =>
  new ApiError('unprocessable', `unable to ${what}; a direct conversation has exactly its two participants and no title`, {
    details: { reason: 'direct_conversation' },
  });

/**
 * The conversation row, locked (membership changes of one conversation run one at a time, in the
 * lock order of a send), with the caller's role: 404 when they are not in it.
 */
async function lockConversation(trx: Transaction<DB>, conversationId: string, userId: string) {
  const row = await trx.selectFrom('conversations').selectAll().where('id', '=', conversationId).forUpdate().executeTakeFirst();
  const role = row ? await participantRole(trx, conversationId, userId) : null;
  if (!row || !role) throw conversationNotFound(conversationId);
  return { row, role };
}

/** A group the caller administers (403 `admin_only` for a member, 422 for a direct conversation). */
async function lockAdministered(trx: Transaction<DB>, conversationId: string, userId: string, what: string): Promise<ConversationRow> {
  const { row, role } = await lockConversation(trx, conversationId, userId);
  if (row.kind === 'direct') throw directRefused(what);
  if (role !== 'admin') {
    throw new ApiError('forbidden', `unable to ${what}; only an admin of the conversation can`, { details: { reason: 'admin_only' } });
  }
  return row;
}

/**
 * An admin adds people to a group: they join as members, caught up (their read cursor at the
 * latest message, nothing unread), and may read its history. Those already in it are skipped. Everyone
 * in it after gets `participant.added` and `conversation.updated`.
 */
export async function addParticipants(
  ctx: StoreContext,
  actorId: string,
  conversationId: string,
  userIds: string[],
  meta: RequestMeta = {},
): Promise<{ conversation: Conversation; added: string[] }> {
  return transact(ctx, async (trx, emit) => {
    const row = await lockAdministered(trx, conversationId, actorId, 'add participants');
    const current = await trx.selectFrom('participants').select('user_id').where('conversation_id', '=', conversationId).execute();
    const present = new Set(current.map((p) => p.user_id));
    const wanted = [...new Set(userIds)].filter((id) => !present.has(id));
    if (present.size + wanted.length > LIMITS.participants) {
      throw new ApiError('unprocessable', `unable to add participants; at most ${LIMITS.participants} participants`, {
        details: { reason: 'too_many_participants', max: LIMITS.participants },
      });
    }
    await ensureUsers(trx, wanted);
    const added = await insertParticipants(trx, conversationId, wanted, row.last_message_at ?? row.created_at, null);
    if (added.length > 0) {
      await trx
        .updateTable('participants')
        .set({ last_read_seq: row.last_seq })
        .where('conversation_id', '=', conversationId)
        .where('user_id', 'in', added)
        .execute();
    }
    const base = (await loadConversationBases(trx, [conversationId])).get(conversationId)!;
    if (added.length > 0) {
      const payload: ParticipantAddedEvent = { conversationId, userIds: added, addedBy: actorId };
      const userIds = base.participants.map(({ participant }) => participant.user_id);
      emit(toEachUser(conversationId, userIds, EVENTS.participantAdded, payload, null, meta));
      emit(conversationUpdatedEvents(base, meta));
    }
    return { conversation: viewFor(base, actorId), added };
  });
}

/**
 * Remove a participant: oneself (leave a group), or, for an admin, anyone else in it. The removed
 * user's cursor goes at once, so no event of the conversation is addressed to them any more, the
 * channel authorization refuses its presence channel, and every read answers 404. When the last
 * admin leaves, the longest-standing member becomes admin. `participant.removed` goes to everyone in
 * it before (the removed user too), `conversation.updated` to those who remain; after them the outbox
 * closes the removed user's realtime connections (outbox/steps.ts).
 */
export async function removeParticipant(
  ctx: StoreContext,
  actorId: string,
  conversationId: string,
  userId: string,
  meta: RequestMeta = {},
): Promise<{ conversationId: string; userId: string }> {
  return transact(ctx, async (trx, emit) => {
    const leaving = userId === actorId;
    if (leaving) {
      const { row } = await lockConversation(trx, conversationId, actorId);
      if (row.kind === 'direct') throw directRefused('leave the conversation');
    } else {
      await lockAdministered(trx, conversationId, actorId, 'remove a participant');
    }
    const before = await trx
      .selectFrom('participants')
      .select(['user_id', 'role'])
      .where('conversation_id', '=', conversationId)
      .orderBy('user_id')
      .execute();
    if (!before.some((p) => p.user_id === userId)) {
      throw new ApiError('not_found', `participant ${userId} not found in conversation ${conversationId}`);
    }
    await trx.deleteFrom('participants').where('conversation_id', '=', conversationId).where('user_id', '=', userId).execute();
    const remaining = before.filter((p) => p.user_id !== userId);
    if (remaining.length > 0 && !remaining.some((p) => p.role === 'admin')) {
      // A group always has an admin while anyone is in it: the longest-standing member.
      await sql`
        update participants set role = 'admin'
        where conversation_id = ${conversationId}::uuid and user_id = (
          select user_id from participants where conversation_id = ${conversationId}::uuid
          order by joined_at, user_id limit 1)`.execute(trx);
    }
    const payload: ParticipantRemovedEvent = { conversationId, userId, removedBy: actorId };
    const userIds = before.map((p) => p.user_id);
    emit(toEachUser(conversationId, userIds, EVENTS.participantRemoved, payload, actorId, meta));
    if (remaining.length > 0) {
      const base = (await loadConversationBases(trx, [conversationId])).get(conversationId)!;
      emit(conversationUpdatedEvents(base, meta));
    }
    // Then the dispatcher closes their realtime connections (whichever instance dispatches), so their
    // presence subscription ends too: they reconnect without it.
    emit([disconnectUserStep(conversationId, userId, meta.requestId ?? null)]);
    return { conversationId, userId };
  });
}

/**
 * An admin renames a group or replaces its metadata (already checked); everyone in it gets
 * `conversation.updated`. The same title and metadata again change nothing.
 */
export async function renameConversation(
  ctx: StoreContext,
  actorId: string,
  conversationId: string,
  change: { title?: string; metadata?: Record<string, unknown> },
  meta: RequestMeta = {},
): Promise<Conversation> {
  return transact(ctx, async (trx, emit) => {
    const row = await lockAdministered(
      trx,
      conversationId,
      actorId,
      change.title !== undefined ? 'rename the conversation' : 'update the conversation',
    );
    const { title = row.title, metadata } = change;
    const newMetadata = metadata !== undefined && canonicalJson(metadata) !== canonicalJson(row.metadata);
    const changed = row.title !== title || newMetadata;
    if (changed) {
      // Metadata as JSON text: both drivers pass it the same way.
      const set = newMetadata ? { title, metadata: sql<Record<string, unknown>>`${JSON.stringify(metadata)}::jsonb` } : { title };
      await trx.updateTable('conversations').set(set).where('id', '=', conversationId).execute();
    }
    const base = (await loadConversationBases(trx, [conversationId])).get(conversationId)!;
    if (changed) emit(conversationUpdatedEvents(base, meta));
    return viewFor(base, actorId);
  });
}
