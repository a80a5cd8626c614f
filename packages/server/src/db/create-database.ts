import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import { type MigrationResultSet, Migrator } from 'kysely/migration';
import pg from 'pg';
import { importOptionalPeer } from '../optional-peer';
import { migrationNames, migrations } from './migrations';
import type { DB } from './types';

/** Where Banter keeps its data: PostgreSQL by URL, or PGlite on disk, in memory, or the host's own. */
export interface DatabaseOptions {
  /** PostgreSQL connection string. */
  url?: string;
  /** Directory of an on-disk PGlite database. */
  dataDir?: string;
  /** The host's own PGlite instance (Banter sets its search_path and does not close it). */
  pglite?: PGlite;
  /** Schema holding Banter's tables, apart from the host's own. Default `banter`; created if missing. */
  schema?: string;
  /** Most pooled PostgreSQL connections (default 10). PGlite has exactly one. */
  maxConnections?: number;
  /** Errors of idle pooled connections (a restarted server, a network drop); default: ignored. */
  onError?: (error: unknown) => void;
  /**
   * Concurrent sends share one transaction and one WAL flush (PostgreSQL only; default true; groups
   * in flight never share a conversation: store/group-commit.ts). `false`: every send is its own commit.
   */
  groupCommit?: boolean;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** True when every migration this version knows is applied. */
  current: boolean;
}

/** A connected Banter database: one Kysely instance over PostgreSQL or PGlite. */
export interface Database {
  /** Kysely over Banter's tables; plain table names resolve to `schema`. */
  readonly kysely: Kysely<DB>;
  readonly dialect: 'postgres' | 'pglite';
  readonly schema: string;
  /** The pg pool (PostgreSQL only), e.g. for a dedicated LISTEN connection. */
  readonly pool: pg.Pool | null;
  /** Whether concurrent sends share a transaction (PostgreSQL only; `groupCommit` option). */
  readonly groupCommit: boolean;
  /** The PGlite instance (PGlite only). Banter's own is opened by the first query: null until then. */
  readonly pglite: PGlite | null;
  /** Create the schema if missing and apply pending migrations (safe to run concurrently). */
  migrate(): Promise<MigrationStatus>;
  migrationStatus(): Promise<MigrationStatus>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** Close the pool or the PGlite instance Banter made (a host's own PGlite stays open). */
  close(): Promise<void>;
}

const SCHEMA_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Open Banter's database. `url` -> PostgreSQL (pg pool); `dataDir` -> PGlite on disk; `pglite` -> the
 * host's PGlite instance; none -> in-memory PGlite. Nothing is migrated here: call `migrate()`
 * (createChatServer does it on startup unless told not to).
 *
 * @example
 * ```ts
 * const database = createDatabase({ url: process.env.DATABASE_URL });
 * await database.migrate();
 * ```
 * @example
 * ```ts
 * const database = createDatabase({ dataDir: '.banter/data', schema: 'chat' });
 * ```
 */
export function createDatabase(options: DatabaseOptions = {}): Database {
  const schema = options.schema ?? 'banter';
  if (!SCHEMA_PATTERN.test(schema)) {
    throw new TypeError(`invalid schema name ${JSON.stringify(schema)}: use letters, digits and _ (at most 63)`);
  }
  if ([options.url, options.dataDir, options.pglite].filter(Boolean).length > 1) {
    throw new TypeError('createDatabase: give at most one of url, dataDir and pglite');
  }
  const setSearchPath = CompiledQuery.raw(`set search_path to "${schema}", public`);

  let kysely: Kysely<DB>;
  let pool: pg.Pool | null = null;
  let pglite: PGlite | null = null;
  let ownsPglite = true;

  if (options.url) {
    pool = new pg.Pool({
      connectionString: options.url,
      max: options.maxConnections ?? 10,
      // Ids of bigint columns fit in a double; read them as numbers, like PGlite does.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client's error is emitted on the pool; unhandled it would kill the host process.
    pool.on('error', (error) => options.onError?.(error));
    // A checked-out client (inside a transaction, between two queries) has no pool listener: a
    // backend killed then (failover, pg_terminate_backend) emitted an unhandled 'error' and crashed
    // the process. Listen for good: the request fails with 503, the pool drops the client on release.
    pool.on('connect', (client) => client.on('error', (error) => options.onError?.(error)));
    kysely = new Kysely<DB>({
      dialect: new PostgresDialect({
        pool,
        onCreateConnection: async (connection) => {
          await connection.executeQuery(setSearchPath);
        },
      }),
    });
  } else {
    if (options.pglite) {
      pglite = options.pglite;
      ownsPglite = false;
    }
    const dataDir = options.dataDir;
    kysely = new Kysely<DB>({
      dialect: new PGliteDialect({
        // PGlite is an optional peer, loaded on the first query: a host on PostgreSQL never installs it.
        pglite: pglite ?? (async () => (pglite = await openPglite(dataDir))),
        // PGlite is one connection: setting search_path once holds for every query.
        onCreateConnection: async (connection) => {
          await connection.executeQuery(setSearchPath);
        },
      }),
    });
  }

  const dialect = pool ? 'postgres' : 'pglite';
  let closed = false;
  const migrator = new Migrator({
    db: kysely,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: schema,
    // Features own number ranges (0010-0019 messages, 0030 search, ...) and land in any order: a
    // database migrated to 0030 must still take a later-merged 0012. Each migration stands alone.
    allowUnorderedMigrations: true,
  });

  async function status(): Promise<MigrationStatus> {
    const infos = await migrator.getMigrations();
    const applied = infos.filter((m) => m.executedAt).map((m) => m.name);
    const pending = migrationNames.filter((name) => !applied.includes(name));
    return { applied, pending, current: pending.length === 0 };
  }

  return {
    kysely,
    dialect,
    schema,
    pool,
    groupCommit: pool !== null && options.groupCommit !== false,
    get pglite() {
      return pglite;
    },
    async migrate() {
      await sql`create schema if not exists ${sql.id(schema)}`.execute(kysely);
      const result: MigrationResultSet = await migrator.migrateToLatest();
      if (result.error) {
        const failed = result.results?.find((r) => r.status === 'Error')?.migrationName;
        throw new Error(`banter: migration ${failed ?? ''} failed: ${String(result.error)}`, { cause: result.error });
      }
      return status();
    },
    migrationStatus: status,
    async ping() {
      await sql`select 1`.execute(kysely);
    },
    async close() {
      if (closed) return;
      closed = true;
      // Kysely's PGlite driver closes the instance: skip it for a host-owned one.
      if (pool || ownsPglite) await kysely.destroy();
    },
  };
}

/** Banter's own PGlite: on disk under dataDir, else in memory. */
async function openPglite(dataDir: string | undefined): Promise<PGlite> {
  const { PGlite } = await importOptionalPeer(() => import('@electric-sql/pglite'), {
    name: '@electric-sql/pglite',
    neededFor: 'the embedded database (PGlite)',
    alternative: 'or use PostgreSQL (DATABASE_URL, createDatabase({ url }))',
  });
  // PGlite creates only the last folder of the path; a nested, not yet existing dataDir is normal.
  if (dataDir) mkdirSync(dirname(resolve(dataDir)), { recursive: true });
  return dataDir ? new PGlite(dataDir) : new PGlite();
}

/** True for a Database made by `createDatabase` (createChatServer takes one, or the options for one). */
export function isDatabase(value: unknown): value is Database {
  return typeof value === 'object' && value !== null && 'kysely' in value && typeof (value as Database).migrate === 'function';
}
