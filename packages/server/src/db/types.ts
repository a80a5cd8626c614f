import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ModerationTables } from './moderation-types';
import type { NotificationTables } from './notification-types';

/**
 * Table types of Banter's schema. Timestamps read back as `Date` on both drivers; bigint
 * columns read back as `number` (the pg pool of `createDatabase` parses int8 as a number, PGlite
 * already does).
 */

/** A timestamptz column with a database default. */
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface UsersTable {
  id: string;
  name: string | null;
  avatar_url: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface ConversationsTable {
  id: Generated<string>;
  kind: 'direct' | 'group';
  title: string | null;
  /** Sorted pair `a\nb` for direct conversations (unique), null for groups. */
  direct_key: string | null;
  created_by: string | null;
  last_seq: Generated<number>;
  last_message_at: NullableTimestamp;
  created_at: CreatedAt;
  /** Messages older than this many days are deleted (null: the app's retention). */
  retention_days: Generated<number | null>;
  /** Slow mode: one message per this many seconds per member (null: off); admins and the host are exempt. */
  slow_mode_seconds: Generated<number | null>;
  /** The host's own data, checked against its schema (migration 0038). */
  metadata: Generated<Record<string, unknown> | null>;
}

export interface ParticipantsTable {
  conversation_id: string;
  user_id: string;
  last_read_seq: Generated<number>;
  unread_count: Generated<number>;
  /** Denormalized `coalesce(last_message_at, created_at)` of the conversation: the list's sort key. */
  activity_at: Timestamp;
  joined_at: CreatedAt;
  /** The seq of the latest message that mentioned this participant (flagged while above last_read_seq). */
  mention_seq: Generated<number>;
  /** `admin` (a group's creator, or made one) may remove others' messages, pin, add, remove and rename (migration 0013). */
  role: Generated<'member' | 'admin'>;
  /** No unread badge, no notification for this participant (moderation). */
  muted: Generated<boolean>;
  /** When this participant last sent (slow mode). */
  last_sent_at: NullableTimestamp;
  /** The last seq a notification covered (migration 0037): the next batch starts after it. */
  notified_through_seq: Generated<number>;
}

export interface MessagesTable {
  id: Generated<string>;
  conversation_id: string;
  seq: number;
  sender_id: string;
  client_id: string | null;
  body: string;
  created_at: CreatedAt;
  edited_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
  /** 1 as sent; +1 per edit or delete (migration 0010). */
  version: Generated<number>;
  /** The quoted message (no foreign key: it may be gone). */
  reply_to: Generated<string | null>;
  /** The thread root this message replies in. */
  thread_id: Generated<string | null>;
  /** A thread reply also shown in the conversation (always true outside threads). */
  show_in_channel: Generated<boolean>;
  /** On a thread root: its replies, and when the latest came. */
  reply_count: Generated<number>;
  last_reply_at: Generated<Date | null>;
  /** User ids mentioned (participants when sent). */
  mentions: Generated<string[]>;
  /** Pinned in its conversation: when and by whom (migration 0014). */
  pinned_at: Generated<Date | null>;
  pinned_by: Generated<string | null>;
  /** The host's own data, checked against its schema (migration 0038). */
  metadata: Generated<Record<string, unknown> | null>;
}

/** An earlier body of an edited message (migration 0010). */
export interface MessageVersionsTable {
  message_id: string;
  version: number;
  body: string;
  created_at: Timestamp;
}

/** One user's emoji on one message (migration 0011). */
export interface MessageReactionsTable {
  message_id: string;
  emoji: string;
  user_id: string;
  created_at: CreatedAt;
}

export interface OutboxTable {
  id: Generated<number>;
  conversation_id: string | null;
  channel: string;
  event: string;
  payload: ColumnType<unknown, string, string>;
  socket_id: string | null;
  request_id: string | null;
  attempts: Generated<number>;
  next_attempt_at: CreatedAt;
  last_error: string | null;
  delivered_at: NullableTimestamp;
  dead_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface UploadsTable {
  id: Generated<string>;
  conversation_id: string;
  uploader_id: string;
  name: string;
  declared_type: string;
  size: number;
  /** The sniffed type, once the file is in and checked. */
  type: string | null;
  width: number | null;
  height: number | null;
  color: string | null;
  thumbnail_width: number | null;
  thumbnail_height: number | null;
  message_id: string | null;
  position: number | null;
  uploaded_at: NullableTimestamp;
  created_at: CreatedAt;
}

/** Kysely's view of Banter's schema (unqualified names: the connection's search_path finds them). */
export interface DB extends ModerationTables, NotificationTables {
  users: UsersTable;
  conversations: ConversationsTable;
  participants: ParticipantsTable;
  messages: MessagesTable;
  message_versions: MessageVersionsTable;
  message_reactions: MessageReactionsTable;
  outbox: OutboxTable;
  uploads: UploadsTable;
  erasures: ErasuresTable;
  file_deletions: FileDeletionsTable;
}

/** One erasure, provable without the user id: `subject_hash` is an HMAC of it (see ownership/). */
export interface ErasuresTable {
  id: Generated<string>;
  subject_hash: string;
  mode: 'delete' | 'tombstone';
  file_keys: ColumnType<string[], string, string>;
  counts: ColumnType<Record<string, number>, string, string>;
  created_at: CreatedAt;
}

/** A file to remove from storage, queued in the transaction that dropped its row. */
export interface FileDeletionsTable {
  key: string;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  last_error: string | null;
  created_at: CreatedAt;
}

export type UserRow = Selectable<UsersTable>;
export type ConversationRow = Selectable<ConversationsTable>;
export type ParticipantRow = Selectable<ParticipantsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type UploadRow = Selectable<UploadsTable>;
export type NewOutboxRow = Insertable<OutboxTable>;
export type OutboxUpdate = Updateable<OutboxTable>;
