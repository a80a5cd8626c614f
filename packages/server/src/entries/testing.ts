/** `@banter/server/testing`: helpers to run a host's tests against Banter on PGlite and PostgreSQL. */
export { databaseTargets } from '../testing/database-targets';
export type { DatabaseTarget } from '../testing/database-targets';
