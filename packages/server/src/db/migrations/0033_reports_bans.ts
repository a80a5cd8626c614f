import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const migration: Migration = {
  async up(db: Kysely<any>) {
    // One report per reporter and message (a repeat answers the first); the host pages newest first.
    await sql`
      create table reports (
        id uuid primary key default gen_random_uuid(),
        message_id uuid not null references messages (id) on delete cascade,
        conversation_id uuid not null references conversations (id) on delete cascade,
        reporter_id text not null references users (id) on delete cascade,
        reason text not null check (char_length(reason) between 1 and 500),
        created_at timestamptz not null default now(),
        unique (message_id, reporter_id)
      )`.execute(db);
    await sql`create index reports_newest on reports (created_at desc, id desc)`.execute(db);
    // A ban from the whole app (conversation_id null) or from one conversation; one row per scope.
    await sql`
      create table bans (
        id uuid primary key default gen_random_uuid(),
        user_id text not null references users (id) on delete cascade,
        conversation_id uuid references conversations (id) on delete cascade,
        reason text check (char_length(reason) <= 500),
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`
      create unique index bans_scope
        on bans (user_id, coalesce(conversation_id, '00000000-0000-0000-0000-000000000000'::uuid))`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop table if exists bans`.execute(db);
    await sql`drop table if exists reports`.execute(db);
  },
};
