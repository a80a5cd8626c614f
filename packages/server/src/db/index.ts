export { createDatabase } from './create-database';
export type { Database, DatabaseOptions, MigrationStatus } from './create-database';
export { migrations, migrationNames } from './migrations';
export type * from './types';
