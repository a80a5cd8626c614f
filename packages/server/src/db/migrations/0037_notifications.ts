import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const migration: Migration = {
  async up(db: Kysely<any>) {
    // The last seq a participant was notified of (notifications/scheduler.ts): a new batch starts
    // after it. Existing participants start at their conversation's last seq, so an upgrade does not
    // notify everyone of old unread messages at once.
    await sql`alter table participants add column notified_through_seq integer not null default 0`.execute(db);
    await sql`
      update participants p set notified_through_seq = c.last_seq
      from conversations c where c.id = p.conversation_id`.execute(db);
    // The scheduler walks recently active conversations only (one entry per send, on a row every
    // send updates anyway).
    await sql`create index conversations_last_message_at on conversations (last_message_at)`.execute(db);
    // A user's own choices; no row: the server's defaults.
    await sql`
      create table notification_settings (
        user_id text primary key references users (id) on delete cascade,
        delay_minutes integer check (delay_minutes between 1 and 10080),
        email boolean not null default true,
        push boolean not null default true,
        updated_at timestamptz not null default now()
      )`.execute(db);
    // A browser's PushSubscription (Web Push); removed when the push service answers 404/410.
    await sql`
      create table push_subscriptions (
        id uuid primary key default gen_random_uuid(),
        user_id text not null references users (id) on delete cascade,
        endpoint text not null unique,
        p256dh text not null,
        auth text not null,
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index push_subscriptions_user on push_subscriptions (user_id)`.execute(db);
    // Emails and pushes to send: written with the notification.due event, retried with backoff on
    // their own schedule, so a slow mail server or push service never holds chat.
    await sql`
      create table notification_deliveries (
        id uuid primary key default gen_random_uuid(),
        user_id text not null references users (id) on delete cascade,
        channel text not null check (channel in ('email', 'push')),
        subscription_id uuid references push_subscriptions (id) on delete cascade,
        payload jsonb not null,
        attempts integer not null default 0,
        next_attempt_at timestamptz not null default now(),
        last_error text,
        dead_at timestamptz,
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`
      create index notification_deliveries_due on notification_deliveries (next_attempt_at)
        where dead_at is null`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop table if exists notification_deliveries`.execute(db);
    await sql`drop table if exists push_subscriptions`.execute(db);
    await sql`drop table if exists notification_settings`.execute(db);
    await sql`drop index if exists conversations_last_message_at`.execute(db);
    await sql`alter table participants drop column if exists notified_through_seq`.execute(db);
  },
};
