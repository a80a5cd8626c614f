import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

/** `a` blocked `b` (migration 0032): no direct conversation, no direct messages either way. */
export interface UserBlocksTable {
  blocker_id: string;
  blocked_id: string;
  created_at: CreatedAt;
}

/** A user's report of a message, for the host (migration 0033). */
export interface ReportsTable {
  id: Generated<string>;
  message_id: string;
  conversation_id: string;
  reporter_id: string;
  reason: string;
  created_at: CreatedAt;
}

/** A ban from the whole app (`conversation_id` null) or one conversation (migration 0033). */
export interface BansTable {
  id: Generated<string>;
  user_id: string;
  conversation_id: string | null;
  reason: string | null;
  created_at: CreatedAt;
}

/** The moderation tables, merged into `DB`. */
export interface ModerationTables {
  user_blocks: UserBlocksTable;
  reports: ReportsTable;
  bans: BansTable;
}
