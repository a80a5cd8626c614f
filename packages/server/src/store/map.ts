import type { Conversation, Message, Participant, User } from '@banter/core/protocol';
import type { ConversationRow, MessageRow, ParticipantRow, UserRow } from '../db/types';

/** Rows -> protocol shapes. Timestamps leave as ISO strings. */

export const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString();
const isoOrNull = (value: Date | string | null): string | null => (value === null ? null : iso(value));

export function toUser(row: Pick<UserRow, 'id' | 'name' | 'avatar_url'>): User {
  return { id: row.id, name: row.name, avatarUrl: row.avatar_url };
}

/** The columns of issue 14's replies, threads and mentions: optional, so narrow selects still map. */
type ThreadColumns =
  | 'reply_to'
  | 'thread_id'
  | 'show_in_channel'
  | 'reply_count'
  | 'last_reply_at'
  | 'mentions'
  | 'pinned_at'
  | 'pinned_by'
  | 'metadata'
  | 'version';
export type MappableMessageRow = Omit<MessageRow, ThreadColumns> & Partial<Pick<MessageRow, ThreadColumns>>;

/**
 * A deleted message reads with an empty body everywhere (its row stays, so seq stays gapless).
 * Reply, thread and mention fields appear only when set; `replyTo` is a stand-in until
 * `withQuotes` (store/quotes.ts) fills in the quoted message.
 */
export function toMessage(row: MappableMessageRow): Message {
  const message: Message = {
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
  if (row.reply_to) message.replyTo = { id: row.reply_to, senderId: null, body: '', deletedAt: null };
  if (row.thread_id) {
    message.threadId = row.thread_id;
    message.showInChannel = row.show_in_channel ?? false;
  }
  if (row.reply_count) {
    message.replyCount = row.reply_count;
    message.lastReplyAt = isoOrNull(row.last_reply_at ?? null);
  }
  if (row.mentions && row.mentions.length > 0) message.mentions = [...row.mentions];
  if (row.pinned_at) Object.assign(message, { pinnedAt: iso(row.pinned_at), pinnedBy: row.pinned_by ?? null });
  // A deleted message keeps no host data either (like its body).
  if (row.metadata && row.deleted_at === null) message.metadata = row.metadata;
  if (row.version) message.version = row.version;
  return message;
}

/** What is the same for every participant; `viewFor` adds the viewer's own cursor and count. */
export interface ConversationBase {
  row: ConversationRow;
  participants: Array<{ participant: ParticipantRow; user: User }>;
  lastMessage: Message | null;
  /** A direct conversation where one of the two blocked the other (moderation). */
  blocked?: boolean;
}

export function viewFor(base: ConversationBase, viewerId: string): Conversation {
  const { row } = base;
  const own = base.participants.find((p) => p.participant.user_id === viewerId)?.participant;
  const participants: Participant[] = base.participants.map(({ participant, user }) => ({
    user,
    lastReadSeq: participant.last_read_seq,
    joinedAt: iso(participant.joined_at),
    role: participant.role ?? 'member',
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
    mentioned: own ? (own.mention_seq ?? 0) > own.last_read_seq : false,
    muted: own?.muted ?? false,
    blocked: base.blocked ?? false,
    slowModeSeconds: row.slow_mode_seconds ?? null,
    ...(row.metadata ? { metadata: row.metadata } : {}),
  };
}
