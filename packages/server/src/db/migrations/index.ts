import type { Migration } from 'kysely/migration';
import { migration as m0001 } from './0001_initial';
import { migration as m0002 } from './0002_outbox_dispatch';
import { migration as m0003 } from './0003_uploads';
import { migration as m0010 } from './0010_message_lifecycle';
import { migration as m0011 } from './0011_message_reactions';
import { migration as m0012 } from './0012_replies_threads';
import { migration as m0013 } from './0013_participant_roles';
import { migration as m0014 } from './0014_message_pins';
import { migration as m0030 } from './0030_message_search';
import { migration as m0032 } from './0032_moderation';
import { migration as m0033 } from './0033_reports_bans';
import { migration as m0036 } from './0036_webhooks';
import { migration as m0037 } from './0037_notifications';
import { migration as m0038 } from './0038_metadata';
import { migration as m0040 } from './0040_data_ownership';
import { migration as m0041 } from './0041_outbox_steps';

/**
 * Banter's migrations as code (not files read from disk), so a bundled server still has them.
 * One file per migration; names sort in order; never edit a released migration, add the next one.
 * Table names are unqualified: every connection's search_path starts with Banter's schema.
 */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_outbox_dispatch': m0002,
  '0003_uploads': m0003,
  '0010_message_lifecycle': m0010,
  '0011_message_reactions': m0011,
  '0012_replies_threads': m0012,
  '0013_participant_roles': m0013,
  '0014_message_pins': m0014,
  '0030_message_search': m0030,
  '0032_moderation': m0032,
  '0033_reports_bans': m0033,
  '0036_webhooks': m0036,
  '0037_notifications': m0037,
  '0038_metadata': m0038,
  '0040_data_ownership': m0040,
  '0041_outbox_steps': m0041,
};

/** Names of every migration this version of Banter knows, in order. */
export const migrationNames = Object.keys(migrations).sort();
