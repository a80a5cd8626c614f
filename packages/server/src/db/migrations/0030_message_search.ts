import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Full-text search (issue 16): each message's words as a `tsvector`, kept by a trigger so every
 * path that writes a body (send, edit, delete, erasure, retention) re-indexes it, with a GIN index.
 * The trigger's argument is the text search configuration; `search/config.ts` swaps it (and
 * re-indexes) when the host picks another one. A deleted message has no vector: it drops out.
 */
export const migration: Migration = {
  async up(db: Kysely<any>) {
    await sql`alter table messages add column search_vector tsvector`.execute(db);
    // The configuration the vectors were built with (one row).
    await sql`
      create table search_settings (
        id boolean primary key default true check (id),
        config text not null
      )`.execute(db);
    await sql`insert into search_settings (config) values ('simple')`.execute(db);
    await sql`
      create function message_search_vector() returns trigger language plpgsql as $$
      begin
        new.search_vector := case when new.deleted_at is null then to_tsvector(tg_argv[0]::regconfig, new.body) end;
        return new;
      end
      $$`.execute(db);
    await sql`
      create trigger message_search_vector before insert or update of body, deleted_at on messages
      for each row execute function message_search_vector('simple')`.execute(db);
    await sql`update messages set search_vector = to_tsvector('simple', body) where deleted_at is null`.execute(db);
    await sql`create index messages_search on messages using gin (search_vector)`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop trigger if exists message_search_vector on messages`.execute(db);
    await sql`drop function if exists message_search_vector()`.execute(db);
    await sql`drop table if exists search_settings`.execute(db);
    await sql`alter table messages drop column if exists search_vector`.execute(db);
  },
};
