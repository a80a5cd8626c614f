import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const migration: Migration = {
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
};
