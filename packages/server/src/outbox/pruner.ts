import type { Database } from '../db/create-database';
import { pruneDelivered } from './queries';

const PRUNE_LIMIT = 1000;

/**
 * Deletes delivered rows older than `retentionMs`, at most 1000 a run, every `intervalMs` (at once
 * again while a run found more), so the outbox table does not grow without end.
 *
 * @example
 * ```ts
 * const pruner = createPruner({ database, retentionMs: 86_400_000, intervalMs: 60_000, onError });
 * await pruner.maybePrune(); // after each round; does nothing until the interval has passed
 * ```
 */
export function createPruner(options: { database: Database; retentionMs: number; intervalMs: number; onError: (error: unknown) => void }) {
  let lastPrune = Number.NEGATIVE_INFINITY;
  let pruneMore = false;
  return {
    async maybePrune(): Promise<void> {
      if (!pruneMore && Date.now() - lastPrune < options.intervalMs) return;
      lastPrune = Date.now();
      try {
        pruneMore = (await pruneDelivered(options.database.kysely, options.retentionMs, PRUNE_LIMIT)) === PRUNE_LIMIT;
      } catch (error) {
        pruneMore = false;
        options.onError(error);
      }
    },
  };
}
