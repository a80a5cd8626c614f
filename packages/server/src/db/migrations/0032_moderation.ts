import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const migration: Migration = {
  async up(db: Kysely<any>) {
    // A block is one-way in the table and two-way in effect (no direct messages either way);
    // "who blocked me" reads the second index.
    await sql`
      create table user_blocks (
        blocker_id text not null references users (id) on delete cascade,
        blocked_id text not null references users (id) on delete cascade,
        created_at timestamptz not null default now(),
        primary key (blocker_id, blocked_id),
        check (blocker_id <> blocked_id)
      )`.execute(db);
    await sql`create index user_blocks_blocked on user_blocks (blocked_id)`.execute(db);
    // Muted: no unread badge, no notification; the counter itself still counts.
    await sql`alter table participants add column muted boolean not null default false`.execute(db);
    // When the participant last sent: slow mode compares it inside the send statement (no extra query).
    await sql`alter table participants add column last_sent_at timestamptz`.execute(db);
    await sql`
      alter table conversations add column slow_mode_seconds integer
        check (slow_mode_seconds between 1 and 86400)`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`alter table conversations drop column if exists slow_mode_seconds`.execute(db);
    await sql`alter table participants drop column if exists last_sent_at`.execute(db);
    await sql`alter table participants drop column if exists muted`.execute(db);
    await sql`drop table if exists user_blocks`.execute(db);
  },
};
