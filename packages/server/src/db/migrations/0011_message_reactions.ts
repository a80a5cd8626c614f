import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const migration: Migration = {
  async up(db: Kysely<any>) {
    // One of each emoji per user and message; the key also serves "this message's reactions".
    await sql`
      create table message_reactions (
        message_id uuid not null references messages (id) on delete cascade,
        emoji text not null,
        user_id text not null references users (id) on delete cascade,
        created_at timestamptz not null default now(),
        primary key (message_id, emoji, user_id)
      )`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop table if exists message_reactions`.execute(db);
  },
};
