import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import type pg from 'pg';
import type { Database } from '../db/create-database';
import type { DB } from '../db/types';
import type { ServerState } from '../operations/types';
import { createUserSync } from '../store/users';

/** A transaction the host opened: a kysely `Transaction`, or a `pg` client after its `BEGIN`. */
// The host's own table types are none of Banter's business: any kysely database type will do.
// biome-ignore lint/suspicious/noExplicitAny: a Transaction of the host's schema, whatever it is
type AnyTransaction = Transaction<any>;
export type HostTransaction = AnyTransaction | Pick<pg.ClientBase, 'query'>;

// A retried send (idempotency race) or a deadlock inside the savepoint: worth another try, as
// Banter's own transactions do; the savepoint keeps the host's transaction usable meanwhile.
const RETRYABLE = new Set(['23505', '40001', '40P01']);

/** What `bindToTransaction` returns: the server's state running in the host's transaction. */
export interface BoundTransaction {
  state: ServerState;
  /**
   * Run one Banter call inside the host's transaction: in a savepoint (a refused call leaves the
   * host's transaction usable and its own writes intact) with Banter's schema first on the
   * search_path for that call only (the host's unqualified table names keep meaning theirs).
   */
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * Bind the server's state to a transaction the host opened, so Banter's writes commit or roll back
 * with the host's own. Nothing is published from here: the outbox rows become visible at the
 * host's commit (PostgreSQL's NOTIFY, sent at commit, wakes the dispatchers; PGlite's dispatcher
 * finds them at its next poll), and a rollback leaves no message, no outbox row and no event.
 *
 * @example
 * ```ts
 * const bound = bindToTransaction(state, trx);
 * await bound.run(() => invokeOperation(sendMessage, { state: bound.state, meta: {}, via: 'api' }, actor, input));
 * ```
 */
export function bindToTransaction(state: ServerState, transaction: HostTransaction): BoundTransaction {
  const kysely = toKysely(transaction);
  const database: Database = Object.assign(Object.create(state.database) as Database, {
    kysely,
    // executePrepared runs on the pool when there is one: here every statement must use the host's connection.
    pool: null,
  });
  const bound: ServerState = {
    ...state,
    database,
    store: { database, onEventsCommitted: () => {}, inHostTransaction: true },
    // Not the server's cache: a user row written in a transaction that rolls back must be written again.
    syncUser: createUserSync(() => kysely),
  };
  let depth = 0;
  return {
    state: bound,
    async run<T>(fn: () => Promise<T>): Promise<T> {
      const name = sql.id(`banter_call_${depth++}`);
      try {
        for (let attempt = 1; ; attempt++) {
          await sql`savepoint ${name}`.execute(kysely);
          const saved = await sql<{ path: string }>`select current_setting('search_path') as path`.execute(kysely);
          await sql`select set_config('search_path', ${`"${state.database.schema}", ${saved.rows[0]!.path}`}, true)`.execute(kysely);
          try {
            const value = await fn();
            await sql`select set_config('search_path', ${saved.rows[0]!.path}, true)`.execute(kysely);
            await sql`release savepoint ${name}`.execute(kysely);
            return value;
          } catch (error) {
            // Rolling back to the savepoint also restores the search_path the host had.
            await sql`rollback to savepoint ${name}`.execute(kysely);
            await sql`release savepoint ${name}`.execute(kysely);
            const code = (error as { code?: unknown } | null)?.code;
            if (attempt < 3 && typeof code === 'string' && RETRYABLE.has(code)) continue;
            throw error;
          }
        }
      } finally {
        depth--;
      }
    },
  };
}

function isKyselyTransaction(value: HostTransaction): value is AnyTransaction {
  return typeof (value as AnyTransaction).selectFrom === 'function';
}

/** The host's transaction as a Kysely over Banter's tables, whatever the host handed us. */
function toKysely(transaction: HostTransaction): Kysely<DB> {
  if (isKyselyTransaction(transaction)) {
    if (!transaction.isTransaction) {
      throw new TypeError('banter: withTransaction needs a transaction (db.transaction().execute(trx => ...)), not a Kysely instance');
    }
    return transaction as unknown as Kysely<DB>;
  }
  if (typeof transaction?.query !== 'function') {
    throw new TypeError('banter: withTransaction takes a kysely Transaction or a pg client inside BEGIN');
  }
  // One connection that is never released to a pool: the host owns the client and its transaction.
  const client = { query: transaction.query.bind(transaction), release() {} };
  return new Kysely<DB>({
    dialect: new PostgresDialect({ pool: { connect: async () => client, end: async () => {} } as never }),
  });
}
