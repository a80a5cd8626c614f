import type { Database } from '../db/create-database';
import { createFileDeletionSweeper } from '../files/deletion-sweeper';
import { startUploadSweep } from '../files/upload-sweep';
import type { FileStorage } from '../files/storage';
import type { OwnershipHooks, ServerState } from '../operations/types';
import { applyRetention } from './retention';

export interface RetentionSettings {
  /** Delete messages older than this many days (conversations may set their own). Default: keep forever. */
  days?: number;
  /** How often the server applies it in the background (default 1 h; 0: never, call `api.applyRetention`). */
  intervalMs?: number;
}

/**
 * The background parts of data ownership: the file-deletion queue's sweeper, the periodic
 * retention run and the sweep of abandoned uploads, started once migrations ran, stopped on close.
 *
 * @example
 * ```ts
 * const ownership = createOwnership({ database, storage, retention: { days: 30 }, forgetUser });
 * state.ownership = ownership.hooks; ownership.start(() => state);
 * ```
 */
export function createOwnership(options: {
  database: Database;
  storage: FileStorage;
  retention?: RetentionSettings;
  forgetUser: (userId: string) => void;
  onError: (error: unknown) => void;
}) {
  const days = options.retention?.days;
  if (days !== undefined && !(Number.isInteger(days) && days > 0)) throw new TypeError('banter: retention.days must be a positive integer');
  const sweeper = createFileDeletionSweeper({ database: options.database, storage: options.storage, onError: options.onError });
  const hooks: OwnershipHooks = {
    drainFileDeletions: () => sweeper.drain(),
    forgetUser: options.forgetUser,
    retentionDays: days ?? null,
  };
  let timer: ReturnType<typeof setInterval> | null = null;
  let uploadSweep: { stop(): void } | null = null;
  return {
    hooks,
    /** Start the jobs; `sweepUploads`: also remove uploads nobody attached (files/upload-sweep.ts). */
    start(state: () => ServerState, sweepUploads: (() => Promise<number>) | null = null) {
      if (sweepUploads) uploadSweep ??= startUploadSweep(sweepUploads, options.onError);
      sweeper.start();
      const every = options.retention?.intervalMs ?? 3_600_000;
      if (days !== undefined && every > 0 && !timer) {
        timer = setInterval(() => void applyRetention(state()).catch(options.onError), every);
        timer.unref?.();
      }
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      uploadSweep?.stop();
      await sweeper.stop();
    },
  };
}
