import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const migration: Migration = {
  async up(db: Kysely<any>) {
    // Grows by one with each edit or delete, so realtime events of one message apply in order.
    await sql`alter table messages add column version integer not null default 1`.execute(db);
    // Every earlier body of an edited message (the current one stays in messages.body).
    await sql`
      create table message_versions (
        message_id uuid not null references messages (id) on delete cascade,
        version integer not null,
        body text not null,
        created_at timestamptz not null,
        primary key (message_id, version)
      )`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop table if exists message_versions`.execute(db);
    await sql`alter table messages drop column if exists version`.execute(db);
  },
};
