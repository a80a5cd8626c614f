import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const migration: Migration = {
  async up(db: Kysely<any>) {
    // No foreign keys on reply_to / thread_id: erasure and retention delete rows in bulk, and a
    // reply outlives what it quotes (it then reads as gone) without a cascade scan per delete.
    await sql`
      alter table messages
        add column reply_to uuid,
        add column thread_id uuid,
        add column show_in_channel boolean not null default true,
        add column reply_count integer not null default 0,
        add column last_reply_at timestamptz,
        add column mentions text[] not null default '{}'`.execute(db);
    // A thread's replies, a page at a time in seq order.
    await sql`create index messages_thread on messages (thread_id, seq) where thread_id is not null`.execute(db);
    // The seq of the latest message that mentioned the participant: flagged while it is above their read cursor.
    await sql`alter table participants add column mention_seq integer not null default 0`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`alter table participants drop column if exists mention_seq`.execute(db);
    await sql`drop index if exists messages_thread`.execute(db);
    await sql`
      alter table messages
        drop column if exists reply_to, drop column if exists thread_id, drop column if exists show_in_channel,
        drop column if exists reply_count, drop column if exists last_reply_at, drop column if exists mentions`.execute(db);
  },
};
