import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const migration: Migration = {
  async up(db: Kysely<any>) {
    // One row per file a user asked to upload; message_id is set when a message takes it.
    await sql`
      create table uploads (
        id uuid primary key default gen_random_uuid(),
        conversation_id uuid not null references conversations (id) on delete cascade,
        uploader_id text not null references users (id) on delete cascade,
        name text not null,
        declared_type text not null,
        size integer not null check (size >= 0),
        type text,
        width integer,
        height integer,
        color text,
        thumbnail_width integer,
        thumbnail_height integer,
        message_id uuid references messages (id) on delete set null,
        position smallint,
        uploaded_at timestamptz,
        created_at timestamptz not null default now()
      )`.execute(db);
    // The sweep of uploads never attached walks only those.
    await sql`create index uploads_unattached on uploads (created_at) where message_id is null`.execute(db);
    // A page of history reads its messages' attachments by message.
    await sql`create index uploads_message on uploads (message_id, position) where message_id is not null`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop table if exists uploads`.execute(db);
  },
};
