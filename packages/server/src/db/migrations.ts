import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Banter's migrations as code (not files read from disk), so a bundled server still has them.
 * Names sort in order; never edit a released migration, add the next one.
 * Table names are unqualified: every connection's search_path starts with Banter's schema.
 */
export const migrations: Record<string, Migration> = {
  '0001_initial': {
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
  },
  '0002_outbox_dispatch': {
    async up(db: Kysely<any>) {
      // The claim query asks "is an earlier row of this conversation still pending?" for each row.
      await sql`
        create index outbox_pending_conversation on outbox (conversation_id, id)
          where delivered_at is null and dead_at is null`.execute(db);
      // Pruning delivered rows and listing dead letters read only their own rows.
      await sql`create index outbox_delivered on outbox (delivered_at) where delivered_at is not null`.execute(db);
      await sql`create index outbox_dead on outbox (id) where dead_at is not null`.execute(db);
    },
    async down(db: Kysely<any>) {
      for (const index of ['outbox_dead', 'outbox_delivered', 'outbox_pending_conversation']) {
        await sql`drop index if exists ${sql.id(index)}`.execute(db);
      }
    },
  },
  '0003_uploads': {
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
  },
  '0010_message_lifecycle': {
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
  },
  '0011_message_reactions': {
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
  },
  '0040_data_ownership': {
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
  },
};

/** Names of every migration this version of Banter knows, in order. */
export const migrationNames = Object.keys(migrations).sort();
