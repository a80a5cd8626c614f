import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll } from 'vitest';
import { createLocalStorage } from '../../src/files/local-storage';
import { createS3Storage, type S3StorageOptions } from '../../src/files/s3-storage';
import type { FileStorage } from '../../src/files/storage';

/** A real S3-compatible server (s3rver) on 127.0.0.1, a free port, in a temporary folder. */
export interface TestS3Server {
  options: S3StorageOptions & { endpoint: string };
  close(): Promise<void>;
}

/**
 * Start s3rver with one bucket, open to browser PUTs (CORS) like a bucket configured for uploads.
 * s3rver checks no SigV4 signature: what a real S3 enforces (signed size and type) is tested on
 * the URLs Banter signs instead.
 */
export async function startTestS3(bucket = 'banter-test'): Promise<TestS3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'banter-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [CORS] }],
  });
  const { port } = await server.run();
  return {
    options: {
      bucket,
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

const CORS = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod>
<AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader></CORSRule></CORSConfiguration>`;

export interface StorageTarget {
  name: 'local' | 's3';
  storage: FileStorage;
  /** The local folder (local only), to look for leftovers. */
  directory?: string;
}

/**
 * Both storages for one test file, made in beforeAll and removed in afterAll: `describe.each` over
 * the names, then `target(name)` inside the tests.
 *
 * @example
 * ```ts
 * const target = useStorageTargets();
 * describe.each(['local', 's3'] as const)('[%s] storage', (name) => {
 *   it('writes', async () => { await target(name).storage.write(…); });
 * });
 * ```
 */
export function useStorageTargets(): (name: 'local' | 's3') => StorageTarget {
  const targets = new Map<string, StorageTarget>();
  let s3: TestS3Server | undefined;
  let directory: string | undefined;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'banter-files-'));
    targets.set('local', { name: 'local', storage: createLocalStorage({ directory }), directory });
    s3 = await startTestS3();
    targets.set('s3', { name: 's3', storage: createS3Storage(s3.options) });
  });
  afterAll(async () => {
    await s3?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });
  return (name) => {
    const target = targets.get(name);
    if (!target) throw new Error('storage targets not made yet (use them inside a test or hook)');
    return target;
  };
}

/** A web stream of `bytes` in chunks of `chunkSize`, like a request body arriving. */
export function streamOf(bytes: Uint8Array, chunkSize = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunkSize));
      offset += chunkSize;
    },
  });
}

/** A local storage whose deletes fail ('storage unavailable') while `down` is true. */
export interface OutageStorage {
  storage: FileStorage;
  down: boolean;
}

/**
 * A local storage in a temporary folder (named `prefix…`, made now so a server can be configured
 * with it at once, removed after the file's tests) that can be made to fail its deletes: an outage
 * must leave the files queued, not orphaned.
 *
 * @example
 * const outage = useOutageStorage('banter-erasure-');
 * const t = useTestServer(target, { storage: outage.storage });
 * outage.down = true;
 */
export function useOutageStorage(prefix: string): OutageStorage {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const local = createLocalStorage({ directory: dir });
  const outage: OutageStorage = {
    down: false,
    storage: {
      ...local,
      async delete(keys) {
        if (outage.down) throw new Error('storage unavailable');
        return local.delete(keys);
      },
    },
  };
  return outage;
}
