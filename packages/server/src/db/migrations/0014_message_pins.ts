import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const migration: Migration = {
  async up(db: Kysely<any>) {
    await sql`alter table messages add column pinned_at timestamptz, add column pinned_by text`.execute(db);
    // A conversation's pins, latest first.
    await sql`create index messages_pinned on messages (conversation_id, pinned_at desc) where pinned_at is not null`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop index if exists messages_pinned`.execute(db);
    await sql`alter table messages drop column if exists pinned_at, drop column if exists pinned_by`.execute(db);
  },
};
