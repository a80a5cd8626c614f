import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertKey, FileTooLargeError } from './storage';
import { streamOf, useStorageTargets } from '../../test/kit/storages';

const target = useStorageTargets();
const bytes = (size: number, fill = 7) => new Uint8Array(size).fill(fill);
const text = async (body: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(body).arrayBuffer());

describe.each(['local', 's3'] as const)('[%s] file storage', (name) => {
  it('writes a stream in chunks, then stats, reads the head and the whole file', async () => {
    const { storage } = target(name);
    const data = new Uint8Array(300_000).map((_, i) => i % 251);
    expect(await storage.write('c1/u1/original', streamOf(data), { maxBytes: 300_000, type: 'image/png' })).toEqual({ size: 300_000 });
    expect(await storage.stat('c1/u1/original')).toEqual({ size: 300_000 });
    expect(await storage.readHead('c1/u1/original', 10)).toEqual(data.subarray(0, 10));
    const file = await storage.read('c1/u1/original');
    expect(file?.size).toBe(300_000);
    expect(await text(file!.body)).toEqual(data);
  });

  it('answers null for a missing file, and deleting one is not an error', async () => {
    const { storage } = target(name);
    expect(await storage.stat('c1/missing/original')).toBeNull();
    expect(await storage.readHead('c1/missing/original', 10)).toBeNull();
    expect(await storage.read('c1/missing/original')).toBeNull();
    await storage.delete(['c1/missing/original']);
  });

  it('reads the head of a file shorter than asked, and of an empty file', async () => {
    const { storage } = target(name);
    await storage.write('c1/short/original', streamOf(bytes(5)), { maxBytes: 10 });
    expect(await storage.readHead('c1/short/original', 4100)).toEqual(bytes(5));
    await storage.write('c1/empty/original', streamOf(new Uint8Array(0)), { maxBytes: 10 });
    expect(await storage.stat('c1/empty/original')).toEqual({ size: 0 });
    expect(await storage.readHead('c1/empty/original', 4100)).toEqual(new Uint8Array(0));
  });

  it('refuses a body over maxBytes and stores nothing of it', async () => {
    const { storage, directory } = target(name);
    await expect(storage.write('c1/big/original', streamOf(bytes(200_000)), { maxBytes: 100_000 })).rejects.toBeInstanceOf(
      FileTooLargeError,
    );
    expect(await storage.stat('c1/big/original')).toBeNull();
    if (directory) expect(await readdir(join(directory, '.partial'))).toEqual([]);
  });

  it('deletes files (twice is fine) and they are gone', async () => {
    const { storage } = target(name);
    await storage.write('c2/u2/original', streamOf(bytes(10)), { maxBytes: 10 });
    await storage.write('c2/u2/thumbnail', streamOf(bytes(3)), { maxBytes: 10 });
    await storage.delete(['c2/u2/original', 'c2/u2/thumbnail']);
    await storage.delete(['c2/u2/original']);
    expect(await storage.stat('c2/u2/original')).toBeNull();
    expect(await storage.stat('c2/u2/thumbnail')).toBeNull();
  });

  it('refuses keys Banter does not make (no way out of the folder)', async () => {
    const { storage } = target(name);
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'A/B', 'a//b', '', 'a/b\0']) {
      await expect(storage.stat(key)).rejects.toThrow(/invalid storage key/);
    }
    expect(assertKey('0b6d2c1e-aa/4f1e-bb/original')).toBe('0b6d2c1e-aa/4f1e-bb/original');
  });
});

describe('[local] file storage', () => {
  it('shows no file until the write completes (a partial upload is never read)', async () => {
    const { storage, directory } = target('local');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let sent = 0;
    const slow = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent === 1) await gate;
        if (sent === 2) return controller.close();
        controller.enqueue(bytes(1000));
        sent++;
      },
    });
    const writing = storage.write('c3/u3/original', slow, { maxBytes: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await storage.stat('c3/u3/original')).toBeNull();
    expect((await readdir(join(directory!, '.partial'))).length).toBe(1);
    release();
    expect(await writing).toEqual({ size: 2000 });
    expect(await storage.stat('c3/u3/original')).toEqual({ size: 2000 });
    expect(await readdir(join(directory!, '.partial'))).toEqual([]);
  });

  it('removes the empty per-upload folders with the last file, never its own folder', async () => {
    const { storage, directory } = target('local');
    await storage.write('c4/u4/original', streamOf(bytes(1)), { maxBytes: 1 });
    await storage.delete(['c4/u4/original']);
    expect(await readdir(directory!)).not.toContain('c4');
    await storage.write('top', streamOf(bytes(1)), { maxBytes: 1 });
    await storage.delete(['top']);
    expect(await readdir(directory!)).toContain('.partial');
  });
});

describe('[s3] presigned URLs', () => {
  it('a presigned PUT uploads straight to the bucket; its size and type are signed', async () => {
    const { storage } = target('s3');
    const upload = await storage.uploadUrl('c5/u5/original', { type: 'image/png', size: 4 }, 60);
    expect(upload).not.toBeNull();
    const url = new URL(upload!.url);
    // A real S3 refuses a PUT whose signed headers differ: the size and type cannot be swapped.
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(
      expect.arrayContaining(['content-length', 'content-type', 'host']),
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    // No flexible checksum (it would be the CRC32 of an empty body and fail every upload on AWS).
    expect([...url.searchParams.keys()].some((k) => k.startsWith('x-amz-checksum') || k === 'x-amz-sdk-checksum-algorithm')).toBe(false);
    const response = await fetch(upload!.url, { method: 'PUT', headers: upload!.headers, body: bytes(4) });
    expect(response.status).toBe(200);
    expect(await storage.stat('c5/u5/original')).toEqual({ size: 4 });
  });

  it('a presigned GET serves the file as a download with the sniffed type', async () => {
    const { storage } = target('s3');
    await storage.write('c6/u6/original', streamOf(bytes(4)), { maxBytes: 4 });
    const url = await storage.downloadUrl('c6/u6/original', {
      filename: 'report "v2".pdf',
      type: 'application/pdf',
      disposition: 'attachment',
      expiresInSeconds: 120,
    });
    const response = await fetch(url!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="report _v2_.pdf"; filename*=UTF-8''report%20%22v2%22.pdf`,
    );
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes(4));
  });
});

describe('[local] URLs', () => {
  it('has none of its own: Banter serves and receives local files through signed URLs', async () => {
    const { storage } = target('local');
    expect(await storage.uploadUrl('c7/u7/original', { type: 'image/png', size: 1 }, 60)).toBeNull();
    expect(
      await storage.downloadUrl('c7/u7/original', { filename: 'a', type: 'image/png', disposition: 'inline', expiresInSeconds: 1 }),
    ).toBeNull();
  });
});
