import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const migration: Migration = {
  async up(db: Kysely<any>) {
    // The host's endpoints as configured (createChatServer's `webhooks`, synced at start); secrets
    // stay in the process, never in the database.
    await sql`
      create table webhook_endpoints (
        id text primary key,
        url text not null,
        events text[] not null,
        enabled boolean not null default true,
        updated_at timestamptz not null default now()
      )`.execute(db);
    // One row per (endpoint, event): its own queue, retried on its own schedule, never the
    // realtime dispatcher's. The id is the Standard Webhooks `webhook-id` (the same on every retry).
    await sql`
      create table webhook_deliveries (
        id uuid primary key default gen_random_uuid(),
        endpoint_id text not null references webhook_endpoints (id) on delete cascade,
        event text not null,
        conversation_id uuid,
        payload jsonb not null,
        dedupe_key text not null,
        attempts integer not null default 0,
        next_attempt_at timestamptz not null default now(),
        last_status integer,
        last_error text,
        delivered_at timestamptz,
        dead_at timestamptz,
        created_at timestamptz not null default now(),
        unique (endpoint_id, dedupe_key)
      )`.execute(db);
    await sql`
      create index webhook_deliveries_due on webhook_deliveries (next_attempt_at)
        where delivered_at is null and dead_at is null`.execute(db);
    await sql`create index webhook_deliveries_dead on webhook_deliveries (dead_at) where dead_at is not null`.execute(db);
    await sql`create index webhook_deliveries_done on webhook_deliveries (delivered_at) where delivered_at is not null`.execute(db);
    // The delivery log: one row per attempt (status, duration), removed with its delivery.
    await sql`
      create table webhook_attempts (
        id bigserial primary key,
        delivery_id uuid not null references webhook_deliveries (id) on delete cascade,
        status integer,
        duration_ms integer not null,
        error text,
        attempted_at timestamptz not null default now()
      )`.execute(db);
    await sql`create index webhook_attempts_delivery on webhook_attempts (delivery_id)`.execute(db);
    // The subscriber: every outbox row, whoever writes it, becomes a delivery for each endpoint that
    // names its event, in the same transaction. The per-user copies of one event (one row per
    // channel, same payload) become one delivery. Rows on the `banter-host` channel are for the host
    // only (webhooks): they never reach the outbox, so the realtime dispatcher never sees them.
    await sql`
      create function banter_webhook_fanout() returns trigger language plpgsql
      set search_path from current as $$
      begin
        insert into webhook_deliveries (endpoint_id, event, conversation_id, payload, dedupe_key)
        select e.id, new.event, new.conversation_id, new.payload,
               md5(txid_current()::text || ':' || new.event || ':' || new.payload::text)
        from webhook_endpoints e
        where e.enabled and (new.event = any(e.events) or '*' = any(e.events))
        on conflict (endpoint_id, dedupe_key) do nothing;
        if new.channel = 'banter-host' then
          return null;
        end if;
        return new;
      end $$`.execute(db);
    await sql`
      create trigger outbox_webhook_fanout before insert on outbox
      for each row execute function banter_webhook_fanout()`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`drop trigger if exists outbox_webhook_fanout on outbox`.execute(db);
    await sql`drop function if exists banter_webhook_fanout()`.execute(db);
    await sql`drop table if exists webhook_attempts`.execute(db);
    await sql`drop table if exists webhook_deliveries`.execute(db);
    await sql`drop table if exists webhook_endpoints`.execute(db);
  },
};
