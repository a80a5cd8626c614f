import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { type FileHandle, mkdir, open, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { countBytes } from './count-bytes';
import { assertKey, type FileStorage } from './storage';

export interface LocalStorageOptions {
  /** The folder files live in, e.g. `.banter/files` (created when the first file arrives). */
  directory: string;
}

/**
 * Files on the local disk: the embedded default (`pnpm start` needs nothing else). A write streams
 * to a temporary file in the same folder and is renamed into place when complete, so a reader never
 * sees half a file and a failed upload leaves nothing behind. Banter serves these files itself,
 * through HMAC-signed URLs (`uploadUrl` and `downloadUrl` answer null).
 *
 * @example
 * ```ts
 * const storage = createLocalStorage({ directory: '.banter/files' });
 * await storage.write('c1/u1/original', file.stream(), { maxBytes: 25 * 1024 * 1024 });
 * ```
 */
export function createLocalStorage(options: LocalStorageOptions): FileStorage {
  const root = resolve(options.directory);
  // Temporary files sit inside the root so the final rename never crosses file systems.
  const temporary = join(root, '.partial');
  const pathOf = (key: string) => join(root, ...assertKey(key).split('/'));

  async function statFile(key: string): Promise<{ size: number } | null> {
    try {
      const info = await stat(pathOf(key));
      return info.isFile() ? { size: info.size } : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  return {
    kind: 'local',
    async uploadUrl() {
      return null;
    },
    async write(key, body, writeOptions) {
      const target = pathOf(key);
      await mkdir(temporary, { recursive: true });
      const partial = join(temporary, randomUUID());
      const counter = countBytes(writeOptions.maxBytes);
      try {
        await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), counter, createWriteStream(partial, { flags: 'wx' }));
        await mkdir(dirname(target), { recursive: true });
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return { size: counter.bytes };
    },
    stat: statFile,
    async readHead(key, length) {
      let handle: FileHandle;
      try {
        handle = await open(pathOf(key), 'r');
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
      try {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, 0);
        return new Uint8Array(buffer.subarray(0, bytesRead));
      } finally {
        await handle.close();
      }
    },
    async read(key) {
      const info = await statFile(key);
      if (!info) return null;
      const body = Readable.toWeb(createReadStream(pathOf(key))) as unknown as ReadableStream<Uint8Array>;
      return { body, size: info.size };
    },
    async downloadUrl() {
      return null;
    },
    async delete(keys) {
      for (const key of keys) {
        const path = pathOf(key);
        await rm(path, { force: true });
        // Tidy the per-upload folders (never the root); one that still holds another file stays.
        for (let folder = dirname(path); folder.startsWith(`${root}/`); folder = dirname(folder)) {
          if (
            !(await rmdir(folder).then(
              () => true,
              () => false,
            ))
          )
            break;
        }
      }
    },
  };
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
