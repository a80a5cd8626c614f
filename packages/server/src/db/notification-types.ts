import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

/** A user's notification choices (migration 0037); no row: the server's defaults. */
export interface NotificationSettingsTable {
  user_id: string;
  /** Minutes unread before a notification (null: the server's `delayMinutes`). */
  delay_minutes: number | null;
  email: Generated<boolean>;
  push: Generated<boolean>;
  updated_at: CreatedAt;
}

/** A browser's Web Push subscription (migration 0037). */
export interface PushSubscriptionsTable {
  id: Generated<string>;
  user_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: CreatedAt;
}

/** An email or push waiting to be sent, retried with backoff (migration 0037). */
export interface NotificationDeliveriesTable {
  id: Generated<string>;
  user_id: string;
  channel: 'email' | 'push';
  subscription_id: string | null;
  payload: ColumnType<unknown, string, string>;
  attempts: Generated<number>;
  next_attempt_at: CreatedAt;
  last_error: string | null;
  dead_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
}

/** The notification tables, merged into `DB`. */
export interface NotificationTables {
  notification_settings: NotificationSettingsTable;
  push_subscriptions: PushSubscriptionsTable;
  notification_deliveries: NotificationDeliveriesTable;
}
