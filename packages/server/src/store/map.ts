import type { Conversation, Message, Participant, User } from '@banter/core/protocol';
import type { ConversationRow, MessageRow, ParticipantRow, UserRow } from '../db/types';

/** Rows -> protocol shapes. Timestamps leave as ISO strings. */

export const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();
const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : iso(value));

export function toUser(row: Pick<UserRow, 'id' | 'name' | 'avatar_url'>): User {
  return { id: row.id, name: row.name, avatarUrl: row.avatar_url };
}

/** A deleted message reads with an empty body everywhere (its row stays, so seq stays gapless). */
export function toMessage(row: Omit<MessageRow, 'version'>): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: row.seq,
    senderId: row.sender_id,
    clientId: row.client_id,
    body: row.deleted_at === null ? row.body : '',
    createdAt: iso(row.created_at),
    editedAt: isoOrNull(row.edited_at),
    deletedAt: isoOrNull(row.deleted_at),
  };
}

/** What is the same for every participant; `viewFor` adds the viewer's own cursor and count. */
export interface ConversationBase {
  row: ConversationRow;
  participants: Array<{ participant: ParticipantRow; user: User }>;
  lastMessage: Message | null;
}

export function viewFor(base: ConversationBase, viewerId: string): Conversation {
  const { row } = base;
  const own = base.participants.find((p) => p.participant.user_id === viewerId)?.participant;
  const participants: Participant[] = base.participants.map(({ participant, user }) => ({
    user,
    lastReadSeq: participant.last_read_seq,
    joinedAt: iso(participant.joined_at),
  }));
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    lastSeq: row.last_seq,
    lastMessageAt: isoOrNull(row.last_message_at),
    createdAt: iso(row.created_at),
    participants,
    lastMessage: base.lastMessage,
    unreadCount: own?.unread_count ?? 0,
    lastReadSeq: own?.last_read_seq ?? 0,
  };
}
