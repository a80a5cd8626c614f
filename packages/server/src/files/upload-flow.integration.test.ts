import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/errors';
import { finishUpload } from './finish-upload';
import { receiveUpload } from './receive-upload';
import { fileResponse } from './serve-file';
import { DEFAULT_ALLOWED_TYPES } from './sniff';
import type { FileStorage } from './storage';
import { makeImage } from '../../test/kit/images';
import { streamOf, useStorageTargets } from '../../test/kit/storages';

const target = useStorageTargets();
const utf8 = (text: string) => new TextEncoder().encode(text);
const put = (bytes: Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
  new Request('http://x/upload', { method: 'PUT', body: streamOf(bytes, 1000), duplex: 'half', headers } as RequestInit);
let n = 0;
const keys = () => {
  n++;
  return { key: `conv/u${n}/original`, thumbnailKey: `conv/u${n}/thumbnail` };
};

async function refusedWith(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => expect.unreachable('the upload was accepted'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

/** How a client gets bytes into each storage: Banter's PUT endpoint (local) or a presigned PUT (S3). */
async function upload(storage: FileStorage, key: string, bytes: Uint8Array<ArrayBuffer>, type: string): Promise<void> {
  const direct = await storage.uploadUrl(key, { type, size: bytes.byteLength }, 60);
  if (!direct) {
    await receiveUpload(put(bytes), { storage, key, declared: { size: bytes.byteLength, type }, allowedTypes: DEFAULT_ALLOWED_TYPES });
    return;
  }
  const response = await fetch(direct.url, { method: direct.method, headers: direct.headers, body: bytes });
  expect(response.status).toBe(200);
}

describe.each(['local', 's3'] as const)('[%s] upload, check and read', (name) => {
  it('an image: stored as its sniffed type, measured, thumbnailed, served inline with the safety headers', async () => {
    const { storage } = target(name);
    const { key, thumbnailKey } = keys();
    const png = await makeImage('png', { width: 800, height: 600, color: '#112233' });
    await upload(storage, key, png, 'image/png');
    const file = await finishUpload({
      storage,
      key,
      thumbnailKey,
      declared: { size: png.byteLength, type: 'image/png' },
      allowedTypes: DEFAULT_ALLOWED_TYPES,
    });
    expect(file).toEqual({
      size: png.byteLength,
      type: 'image/png',
      image: {
        width: 800,
        height: 600,
        color: expect.stringMatching(/^#[0-9a-f]{6}$/),
        thumbnail: { key: thumbnailKey, width: 320, height: 240 },
      },
    });
    expect((await storage.stat(thumbnailKey))?.size).toBeGreaterThan(0);
    const response = fileResponse((await storage.read(key))!, { type: file.type, filename: 'photo.png', maxAgeSeconds: 300 });
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(png.byteLength),
      'content-disposition': `inline; filename="photo.png"; filename*=UTF-8''photo.png`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, max-age=300',
    });
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png);
  });

  it('a PDF: no preview, served as a download', async () => {
    const { storage } = target(name);
    const { key, thumbnailKey } = keys();
    const pdf = utf8('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n');
    await upload(storage, key, pdf, 'application/pdf');
    const file = await finishUpload({
      storage,
      key,
      thumbnailKey,
      declared: { size: pdf.byteLength, type: 'application/pdf' },
      allowedTypes: DEFAULT_ALLOWED_TYPES,
    });
    expect(file).toEqual({ size: pdf.byteLength, type: 'application/pdf', image: null });
    const response = fileResponse((await storage.read(key))!, { type: file.type, filename: 'a.pdf', maxAgeSeconds: 60 });
    expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
  });

  it('a page claiming to be a PNG is refused as disguised (422) and removed from storage', async () => {
    const { storage } = target(name);
    const { key, thumbnailKey } = keys();
    const page = utf8('<html><script>alert(document.cookie)</script></html>');
    const declared = { size: page.byteLength, type: 'image/png' };
    // On S3 the bytes reach the bucket unchecked; the check at finish catches them.
    const direct = await storage.uploadUrl(key, declared, 60);
    if (direct) await fetch(direct.url, { method: 'PUT', headers: direct.headers, body: page });
    else {
      const refused = await refusedWith(receiveUpload(put(page), { storage, key, declared, allowedTypes: DEFAULT_ALLOWED_TYPES }));
      expect([refused.status, refused.message]).toEqual([422, 'invalid upload; the file claims image/png but its bytes are text/html']);
      expect(await storage.stat(key)).toBeNull();
      await storage.write(key, streamOf(page), { maxBytes: page.byteLength });
    }
    const refused = await refusedWith(finishUpload({ storage, key, thumbnailKey, declared, allowedTypes: DEFAULT_ALLOWED_TYPES }));
    expect(refused.status).toBe(422);
    expect(refused.details).toEqual({ detected: 'text/html' });
    expect(await storage.stat(key)).toBeNull();
  });

  it('a type not allowed is a 415; a missing file and a wrong size are 422s', async () => {
    const { storage } = target(name);
    const svg = utf8('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    const a = keys();
    await storage.write(a.key, streamOf(svg), { maxBytes: svg.byteLength });
    const notAllowed = await refusedWith(
      finishUpload({ storage, ...a, declared: { size: svg.byteLength, type: 'image/svg+xml' }, allowedTypes: DEFAULT_ALLOWED_TYPES }),
    );
    expect([notAllowed.status, notAllowed.message]).toEqual([415, 'invalid upload; image/svg+xml files are not allowed here']);

    const missing = await refusedWith(
      finishUpload({ storage, ...keys(), declared: { size: 3, type: 'text/plain' }, allowedTypes: DEFAULT_ALLOWED_TYPES }),
    );
    expect([missing.status, missing.message]).toEqual([
      422,
      'invalid attachment; its file was never uploaded (PUT it to the upload url first)',
    ]);

    const b = keys();
    await storage.write(b.key, streamOf(utf8('hello')), { maxBytes: 5 });
    const wrongSize = await refusedWith(
      finishUpload({ storage, ...b, declared: { size: 4, type: 'text/plain' }, allowedTypes: DEFAULT_ALLOWED_TYPES }),
    );
    expect([wrongSize.status, wrongSize.details]).toEqual([422, { size: 4, received: 5 }]);
    expect(await storage.stat(b.key)).toBeNull();
  });
});

describe.each(['local', 's3'] as const)('[%s] Banter upload endpoint (receiveUpload)', (name) => {
  const declared = { size: 10_000, type: 'text/plain' };

  it('streams the body in and reports the stored type', async () => {
    const { storage } = target(name);
    const { key } = keys();
    const body = utf8('x'.repeat(10_000));
    expect(
      await receiveUpload(put(body), { storage, key, declared: { ...declared, type: 'text/csv' }, allowedTypes: DEFAULT_ALLOWED_TYPES }),
    ).toEqual({
      size: 10_000,
      type: 'text/csv',
    });
    expect(await storage.stat(key)).toEqual({ size: 10_000 });
  });

  it('stops more bytes than announced at the limit (413), keeps fewer (400), and stores neither', async () => {
    const { storage } = target(name);
    const { key } = keys();
    const over = await refusedWith(
      receiveUpload(put(utf8('x'.repeat(20_000))), { storage, key, declared, allowedTypes: DEFAULT_ALLOWED_TYPES }),
    );
    expect([over.status, over.message]).toEqual([413, 'invalid upload; the file is larger than 10000 bytes']);
    const under = await refusedWith(
      receiveUpload(put(utf8('x'.repeat(5_000))), { storage, key, declared, allowedTypes: DEFAULT_ALLOWED_TYPES }),
    );
    expect([under.status, under.message]).toEqual([400, 'invalid upload; got 5000 bytes of the 10000 announced']);
    const lying = await refusedWith(
      receiveUpload(put(utf8('x'.repeat(5_000)), { 'content-length': '5000' }), {
        storage,
        key,
        declared,
        allowedTypes: DEFAULT_ALLOWED_TYPES,
      }),
    );
    expect(lying.message).toBe('invalid upload; the body is 5000 bytes but 10000 were announced');
    expect(await storage.stat(key)).toBeNull();
  });

  it('refuses a program before its bytes are stored', async () => {
    const { storage } = target(name);
    const { key } = keys();
    const exe = new Uint8Array(10_000);
    exe.set([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff]);
    const refused = await refusedWith(
      receiveUpload(put(exe), {
        storage,
        key,
        declared: { size: 10_000, type: 'application/octet-stream' },
        allowedTypes: DEFAULT_ALLOWED_TYPES,
      }),
    );
    expect([refused.status, refused.message]).toEqual([415, 'invalid upload; application/x-msdownload files are not allowed here']);
    expect(await storage.stat(key)).toBeNull();
  });
});
