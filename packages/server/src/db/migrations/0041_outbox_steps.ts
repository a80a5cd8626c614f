import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Outbox steps (outbox/steps.ts: rows whose event starts with `banter:`, e.g. closing a removed
 * participant's connections) are the dispatcher's work, not events: the webhook trigger of 0036
 * leaves them out, `*` endpoints included.
 */
export const migration: Migration = {
  async up(db: Kysely<any>) {
    await fanout(db, sql`and left(new.event, 7) <> 'banter:'`);
  },
  async down(db: Kysely<any>) {
    await fanout(db, sql``);
  },
};

/** 0036's banter_webhook_fanout, with `extra` in its endpoint filter. */
async function fanout(db: Kysely<any>, extra: ReturnType<typeof sql>) {
  await sql`
    create or replace function banter_webhook_fanout() returns trigger language plpgsql
    set search_path from current as $$
    begin
      insert into webhook_deliveries (endpoint_id, event, conversation_id, payload, dedupe_key)
      select e.id, new.event, new.conversation_id, new.payload,
             md5(txid_current()::text || ':' || new.event || ':' || new.payload::text)
      from webhook_endpoints e
      where e.enabled and (new.event = any(e.events) or '*' = any(e.events)) ${extra}
      on conflict (endpoint_id, dedupe_key) do nothing;
      if new.channel = 'banter-host' then
        return null;
      end if;
      return new;
    end $$`.execute(db);
}
