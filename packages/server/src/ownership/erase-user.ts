import { createHmac, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { forgetVerifiedTokens } from '../auth/tokens';
import type { ServerState } from '../operations/types';
import { transact } from '../store/context';
import { type ErasureCounts, type EraseUserOptions, eraseUserRows } from '../store/erasure';
import { type ErasureFinding, scanForUser } from '../store/erasure-scan';
import { pendingFileDeletions } from '../store/file-deletions';

export interface ErasureReport {
  /** The erasure's record (table `erasures`): it holds no user id, only an HMAC of it. */
  erasureId: string;
  mode: 'delete' | 'tombstone';
  counts: ErasureCounts;
  files: {
    /** Files (originals and thumbnails) removed from storage before this call returned. */
    removed: number;
    /** Still queued: the storage failed; the deletion queue retries them with backoff. */
    pending: number;
  };
}

export interface ErasureVerification {
  /** True when no row names the user and every file of their erasures is gone from storage. */
  erased: boolean;
  rows: ErasureFinding[];
  /** Storage keys of the user's erased uploads that still exist (or still wait in the queue). */
  files: string[];
  /** How many erasure records match the user (0: never erased through Banter). */
  erasures: number;
}

/** The user id as the erasure record keeps it: an HMAC under the server's secret, never the id. */
export function erasureSubject(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(`banter-erasure\n${userId}`).digest('hex');
}

/**
 * Erase one user in one transaction (store/erasure.ts), record it without the id, forget the user
 * in memory, then remove the files at once (what the storage refuses now, the queue retries).
 *
 * @example
 * ```ts
 * const report = await eraseUser(state, 'alice', { mode: 'tombstone' });
 * ```
 */
export async function eraseUser(state: ServerState, userId: string, options: EraseUserOptions = {}): Promise<ErasureReport> {
  const mode = options.mode ?? 'delete';
  const erasureId = randomUUID();
  const { counts, fileKeys } = await transact(state.store, async (trx, emit) => {
    const erased = await eraseUserRows(trx, emit, userId, { mode, erasureId });
    await trx
      .insertInto('erasures')
      .values({
        id: erasureId,
        subject_hash: erasureSubject(state.secret, userId),
        mode,
        file_keys: JSON.stringify(erased.fileKeys),
        counts: JSON.stringify(erased.counts),
      })
      .execute();
    return erased;
  });
  forgetVerifiedTokens(userId);
  state.ownership?.forgetUser(userId);
  if (state.store.inHostTransaction) {
    // Not committed yet: the files go when the deletion queue next runs after the host's commit.
    return { erasureId, mode, counts, files: { removed: 0, pending: fileKeys.length } };
  }
  await state.ownership?.drainFileDeletions().catch(() => 0);
  const pending = (await pendingFileDeletions(state.database.kysely, fileKeys)).length;
  return { erasureId, mode, counts, files: { removed: fileKeys.length - pending, pending } };
}

/**
 * What remains of a user: every table of the schema scanned from the catalog, and every file of
 * their erasure records checked in the storage.
 *
 * @example
 * ```ts
 * const { erased, rows, files } = await verifyErasure(state, 'alice');
 * ```
 */
export async function verifyErasure(state: ServerState, userId: string): Promise<ErasureVerification> {
  const kysely = state.database.kysely;
  // erasures.subject_hash is an HMAC, not the id, so the scan does not count the records themselves.
  const rows = await scanForUser(kysely, state.database.schema, userId);
  const records = await sql<{ file_keys: string[] | string }>`
    select file_keys from erasures where subject_hash = ${erasureSubject(state.secret, userId)}`.execute(kysely);
  const keys = records.rows.flatMap((row) => (typeof row.file_keys === 'string' ? (JSON.parse(row.file_keys) as string[]) : row.file_keys));
  const queued = new Set(await pendingFileDeletions(kysely, keys));
  const files: string[] = [];
  for (const key of keys) if (queued.has(key) || (await state.storage.stat(key))) files.push(key);
  return { erased: rows.length === 0 && files.length === 0, rows, files, erasures: records.rows.length };
}
