import type { Transaction } from 'kysely';
import type { Database } from '../db/create-database';
import type { DB } from '../db/types';
import { enqueueEvents, type OutboxEventInput } from '../outbox/enqueue';
import type { ClaimedRow } from '../outbox/queries';

/** What every store operation needs: the database and a wake-up for committed events. */
export interface StoreContext {
  database: Database;
  /** Called after a transaction that enqueued outbox rows committed, with those rows (the fast path). */
  onEventsCommitted: (rows?: ClaimedRow[]) => void;
  /**
   * The database's kysely is the host's open transaction (`chat.api.withTransaction`): run in it,
   * never begin or commit one of our own; the host's commit publishes the events (the sweep
   * delivers them: no fast path for rows whose commit Banter cannot see).
   */
  inHostTransaction?: boolean;
}

/** Per-request facts that travel into the outbox rows. */
export interface RequestMeta {
  requestId?: string | null;
  /** The caller's own realtime socket, excluded from its own events. */
  socketId?: string | null;
}

export type Emit = (events: OutboxEventInput[]) => void;

// Deadlock and serialization failures are worth one more try; the lock order makes them rare.
const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Run `fn` in a transaction; events it emits are written to the outbox in the same transaction,
 * and the dispatcher is woken once it committed.
 */
export async function transact<T>(ctx: StoreContext, fn: (trx: Transaction<DB>, emit: Emit) => Promise<T>): Promise<T> {
  if (ctx.inHostTransaction) {
    const trx = ctx.database.kysely as Transaction<DB>;
    const events: OutboxEventInput[] = [];
    const value = await fn(trx, (more) => events.push(...more));
    await enqueueEvents(trx, events, ctx.database.dialect);
    return value;
  }
  for (let attempt = 1; ; attempt++) {
    const events: OutboxEventInput[] = [];
    let rows: ClaimedRow[] = [];
    try {
      const result = await ctx.database.kysely.transaction().execute(async (trx) => {
        const value = await fn(trx, (more) => events.push(...more));
        rows = await enqueueEvents(trx, events, ctx.database.dialect);
        return value;
      });
      if (rows.length > 0) ctx.onEventsCommitted(rows);
      return result;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (attempt < 3 && typeof code === 'string' && RETRYABLE.has(code)) continue;
      throw error;
    }
  }
}
