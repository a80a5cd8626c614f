import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const migration: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      create table users (
        id text primary key,
        name text,
        avatar_url text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`.execute(db);

    await sql`
      create table conversations (
        id uuid primary key default gen_random_uuid(),
        kind text not null check (kind in ('direct', 'group')),
        title text,
        direct_key text unique,
        created_by text,
        last_seq integer not null default 0,
        last_message_at timestamptz,
        created_at timestamptz not null default now(),
        check ((kind = 'direct') = (direct_key is not null))
      )`.execute(db);

    await sql`
      create table participants (
        conversation_id uuid not null references conversations (id) on delete cascade,
        user_id text not null references users (id) on delete cascade,
        last_read_seq integer not null default 0 check (last_read_seq >= 0),
        unread_count integer not null default 0 check (unread_count >= 0),
        activity_at timestamptz not null,
        joined_at timestamptz not null default now(),
        primary key (conversation_id, user_id)
      )`.execute(db);
    // A user's conversation list, newest activity first, is one walk of this index.
    await sql`
      create index participants_user_activity
        on participants (user_id, activity_at desc, conversation_id desc)`.execute(db);

    await sql`
      create table messages (
        id uuid primary key default gen_random_uuid(),
        conversation_id uuid not null references conversations (id) on delete cascade,
        seq integer not null,
        sender_id text not null references users (id),
        client_id text,
        body text not null,
        created_at timestamptz not null default now(),
        edited_at timestamptz,
        deleted_at timestamptz,
        unique (conversation_id, seq)
      )`.execute(db);
    // The idempotency key of a send: a retried POST finds the first message.
    await sql`
      create unique index messages_idempotency
        on messages (conversation_id, sender_id, client_id)`.execute(db);

    await sql`
      create table outbox (
        id bigint generated always as identity primary key,
        conversation_id uuid,
        channel text not null,
        event text not null,
        payload jsonb not null,
        socket_id text,
        request_id text,
        attempts integer not null default 0,
        next_attempt_at timestamptz not null default now(),
        last_error text,
        delivered_at timestamptz,
        dead_at timestamptz,
        created_at timestamptz not null default now()
      )`.execute(db);
    // The dispatcher's claim query walks only pending rows.
    await sql`
      create index outbox_pending on outbox (next_attempt_at, id)
        where delivered_at is null and dead_at is null`.execute(db);
  },
  async down(db: Kysely<any>) {
    for (const table of ['outbox', 'messages', 'participants', 'conversations', 'users']) {
      await sql`drop table if exists ${sql.id(table)}`.execute(db);
    }
  },
};
