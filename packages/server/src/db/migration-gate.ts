import { ApiError } from '../errors/api-error';
import type { Database } from './create-database';

const MIGRATION_RETRY_MS = 2000;

/** Migrations on startup; after a failure (database down at boot) the next request tries again. */
export interface MigrationGate {
  /** Resolves when migrations ran (rejects if the first attempt failed). */
  ready: Promise<void>;
  /** Resolves once migrated; retries a failed run (at most every 2 s), else a 503 `unavailable`. */
  ensureReady(): Promise<void>;
  migrated(): boolean;
}

/**
 * Run the database's migrations now (unless `migrate` is false) and gate requests on them.
 *
 * @example
 * ```ts
 * const gate = createMigrationGate(database, { migrate: true, onMigrated: () => dispatcher?.start() });
 * await gate.ensureReady(); // in a request: 503 until migrations ran
 * ```
 */
export function createMigrationGate(database: Database, options: { migrate: boolean; onMigrated: () => void }): MigrationGate {
  let migrated = !options.migrate;
  let inFlight: Promise<void> | null = null;
  let lastAttempt = 0;
  function runMigrations(): Promise<void> {
    lastAttempt = Date.now();
    inFlight = database.migrate().then(
      () => {
        migrated = true;
        inFlight = null;
        options.onMigrated();
      },
      (error) => {
        inFlight = null;
        throw error;
      },
    );
    return inFlight;
  }
  const ready = migrated ? Promise.resolve() : runMigrations();
  if (migrated) options.onMigrated();
  return {
    ready,
    migrated: () => migrated,
    async ensureReady() {
      if (migrated) return;
      if (inFlight) return inFlight.catch((error) => Promise.reject(notReady(error)));
      if (Date.now() - lastAttempt < MIGRATION_RETRY_MS) throw notReady();
      await runMigrations().catch((error) => Promise.reject(notReady(error)));
    },
  };
}

function notReady(cause?: unknown): ApiError {
  return new ApiError('unavailable', 'the chat database is not ready (migrations have not run); try again shortly', { cause });
}
