import type { ServerState } from '../operations/types';
import { transact } from '../store/context';
import { deleteExpiredBatch } from '../store/retention';

export interface RetentionOptions {
  /** Retention in days for conversations without their own; default: the server's `retention.days`. */
  days?: number | null;
  /** One conversation only. */
  conversationId?: string;
  /** Messages per batch (default 500): each batch is one short transaction. */
  batchSize?: number;
  /** Stop after this many batches (default 1,000); the next run goes on. */
  maxBatches?: number;
}

export interface RetentionReport {
  deleted: number;
  batches: number;
  /** True when the run stopped at maxBatches with more still due. */
  more: boolean;
}

/**
 * Delete the messages past their retention: batch after batch, each its own short transaction
 * (`skip locked`, so concurrent sends and another instance's run never wait on it), until a batch
 * comes back short. Queued files are removed afterwards.
 *
 * @example
 * ```ts
 * const { deleted } = await applyRetention(state, { days: 30 });
 * ```
 */
export async function applyRetention(state: ServerState, options: RetentionOptions = {}): Promise<RetentionReport> {
  const appDays = options.days === undefined ? (state.ownership?.retentionDays ?? null) : options.days;
  const batchSize = options.batchSize ?? 500;
  const maxBatches = options.maxBatches ?? 1000;
  let deleted = 0;
  let batches = 0;
  for (;;) {
    const n = await transact(state.store, (trx) =>
      deleteExpiredBatch(trx, { appDays, batchSize, ...(options.conversationId ? { conversationId: options.conversationId } : {}) }),
    );
    deleted += n;
    if (n > 0) batches++;
    if (n < batchSize) break;
    if (batches >= maxBatches) return { deleted, batches, more: true };
  }
  if (deleted > 0 && !state.store.inHostTransaction) await state.ownership?.drainFileDeletions().catch(() => 0);
  return { deleted, batches, more: false };
}
