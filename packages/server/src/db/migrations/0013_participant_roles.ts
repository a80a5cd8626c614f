import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

export const migration: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      alter table participants
        add column role text not null default 'member' constraint participants_role check (role in ('member', 'admin'))`.execute(db);
    // A group's creator is its admin; a direct conversation has none (both are members).
    await sql`
      update participants p set role = 'admin'
      from conversations c
      where c.id = p.conversation_id and c.kind = 'group' and c.created_by = p.user_id`.execute(db);
  },
  async down(db: Kysely<any>) {
    await sql`alter table participants drop column if exists role`.execute(db);
  },
};
