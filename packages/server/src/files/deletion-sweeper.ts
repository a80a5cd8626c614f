import type { Database } from '../db/create-database';
import { claimFileDeletions, completeFileDeletions, deferFileDeletions } from '../store/file-deletions';
import type { FileStorage } from './storage';

export interface FileDeletionSweeper {
  /** Remove what is due now; resolves with how many keys were removed (failures wait for a retry). */
  drain(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

export interface FileDeletionSweeperOptions {
  database: Database;
  storage: FileStorage;
  /** How often queued deletions are retried (default 30 s). */
  intervalMs?: number;
  onError?: (error: unknown) => void;
}

const BATCH = 100;
// A claimed batch that never finishes (the process died) is due again after this.
const LEASE_SECONDS = 120;

/** Retry delay after `attempts` failures: 30 s doubling, at most 1 h — a storage outage costs no orphans. */
export function deletionRetryDelaySeconds(attempts: number): number {
  return Math.min(3600, 30 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Drains the `file_deletions` queue into the file storage: the rows' transaction queued the keys,
 * this removes the bytes, retrying with backoff until the storage confirms.
 *
 * @example
 * ```ts
 * const sweeper = createFileDeletionSweeper({ database, storage });
 * sweeper.start();
 * await sweeper.drain(); // right after an erasure
 * ```
 */
export function createFileDeletionSweeper(options: FileDeletionSweeperOptions): FileDeletionSweeper {
  const { database, storage } = options;
  const intervalMs = options.intervalMs ?? 30_000;
  let timer: ReturnType<typeof setInterval> | null = null;
  let running: Promise<number> | null = null;
  let attempts = 0;

  async function drainOnce(): Promise<number> {
    let removed = 0;
    for (;;) {
      const keys = await claimFileDeletions(database.kysely, BATCH, LEASE_SECONDS);
      if (keys.length === 0) return removed;
      try {
        await storage.delete(keys);
        await completeFileDeletions(database.kysely, keys);
        removed += keys.length;
        attempts = 0;
      } catch (error) {
        attempts++;
        await deferFileDeletions(database.kysely, keys, deletionRetryDelaySeconds(attempts), String(error));
        throw error;
      }
    }
  }

  const drain = (): Promise<number> => {
    running ??= drainOnce().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    drain,
    start() {
      if (timer) return;
      timer = setInterval(() => void drain().catch((error) => options.onError?.(error)), intervalMs);
      timer.unref?.();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => {});
    },
  };
}
