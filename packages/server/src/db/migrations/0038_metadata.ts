import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/** The host's own data on messages and conversations (null: none), checked against its schemas before it is written. */
export const migration: Migration = {
  async up(db: Kysely<any>) {
    await sql`alter table messages add column metadata jsonb`.execute(db);
    await sql`alter table conversations add column metadata jsonb`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`alter table messages drop column if exists metadata`.execute(db);
    await sql`alter table conversations drop column if exists metadata`.execute(db);
  },
};
