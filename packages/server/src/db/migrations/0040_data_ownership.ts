import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const migration: Migration = {
  async up(db: Kysely<any>) {
    // Retention per conversation (days); null: the app's default (createChatServer's retention).
    await sql`alter table conversations add column retention_days integer check (retention_days > 0)`.execute(db);
    // Old messages are found by age: retention walks this index in bounded batches.
    await sql`create index messages_created_at on messages (created_at)`.execute(db);
    // Proof of erasure without keeping the user id: the subject is an HMAC of it under the
    // server's secret, so only someone who knows both the id and the secret can look it up.
    await sql`
      create table erasures (
        id uuid primary key default gen_random_uuid(),
        subject_hash text not null,
        mode text not null check (mode in ('delete', 'tombstone')),
        file_keys jsonb not null default '[]',
        counts jsonb not null default '{}',
        created_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index erasures_subject on erasures (subject_hash)`.execute(db);
    // Files to remove from storage, written in the transaction that dropped their rows, so a
    // storage outage retries instead of leaving orphans (the outbox pattern, for storage).
    await sql`
      create table file_deletions (
        key text primary key,
        attempts integer not null default 0,
        next_attempt_at timestamptz not null default now(),
        last_error text,
        created_at timestamptz not null default now()
      )`.execute(db);
    // The public, stable SQL surface for hosts (docs/data-ownership.md): explicit columns, so a
    // later migration that adds a column to a table never changes what a host's report reads.
    await sql`
      create view v_messages as
      select id, conversation_id, seq, sender_id,
             case when deleted_at is null then body else '' end as body,
             created_at, edited_at, deleted_at
      from messages`.execute(db);
    await sql`
      create view v_conversations as
      select c.id, c.kind, c.title, c.created_by, c.last_seq, c.last_message_at, c.created_at,
             (select count(*) from participants p where p.conversation_id = c.id)::integer as participant_count
      from conversations c`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop view if exists v_conversations`.execute(db);
    await sql`drop view if exists v_messages`.execute(db);
    await sql`drop table if exists file_deletions`.execute(db);
    await sql`drop table if exists erasures`.execute(db);
    await sql`drop index if exists messages_created_at`.execute(db);
    await sql`alter table conversations drop column if exists retention_days`.execute(db);
  },
};
