import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { importOptionalPeer } from '../optional-peer';
import { contentDisposition } from './content-disposition';
import { assertKey, type FileStorage, FileTooLargeError } from './storage';

export interface S3StorageOptions {
  bucket: string;
  /** For S3-compatible stores (MinIO, R2, …): their URL. Default: AWS S3 of `region`. */
  endpoint?: string;
  region?: string;
  /** Default: the AWS SDK's chain (AWS_* env, instance role, …). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** `bucket` in the path instead of the host name (MinIO and most self-hosted stores need it). */
  forcePathStyle?: boolean;
  /** Put every key under this prefix, e.g. `banter/`, to share a bucket. */
  prefix?: string;
  /** Bring a configured client instead (the options above are then ignored, but `bucket`). */
  client?: S3Client;
}

// Optional peers: a host on local disk installs no AWS SDK.
const S3_SDK = {
  neededFor: 'S3 file storage',
  install: '@aws-sdk/client-s3 @aws-sdk/s3-request-presigner',
  alternative: 'or use the local disk (BANTER_STORAGE=local, createLocalStorage)',
};

/**
 * Files in any S3-compatible store. Uploads go straight from the browser to the bucket through a
 * presigned PUT (size and type signed in), reads through a presigned GET, so no file passes through
 * Banter's process; Banter only reads the first bytes (to check the type) and images (thumbnails).
 * Needs the optional peers `@aws-sdk/client-s3` and `@aws-sdk/s3-request-presigner`, loaded with the first file.
 *
 * @example
 * ```ts
 * const storage = createS3Storage({
 *   bucket: 'chat-files',
 *   endpoint: 'http://127.0.0.1:9000',
 *   region: 'us-east-1',
 *   forcePathStyle: true,
 *   credentials: { accessKeyId: 'minio', secretAccessKey: 'minio-secret' },
 * });
 * ```
 */
export function createS3Storage(options: S3StorageOptions): FileStorage {
  if (!options.bucket) throw new TypeError('banter: S3 storage needs a bucket');
  const config: S3ClientConfig = {
    region: options.region ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    // The SDK's default flexible checksums would sign the CRC32 of an empty body into every
    // presigned PUT (the browser's upload then fails), and many S3-compatible stores lack them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  // The SDK takes seconds to import on a busy machine: load it with the first file, not at startup.
  let loading: Promise<{
    sdk: typeof import('@aws-sdk/client-s3');
    presign: typeof import('@aws-sdk/s3-request-presigner');
    client: S3Client;
  }> | null = null;
  const load = () =>
    (loading ??= Promise.all([
      importOptionalPeer(() => import('@aws-sdk/client-s3'), { ...S3_SDK, name: '@aws-sdk/client-s3' }),
      importOptionalPeer(() => import('@aws-sdk/s3-request-presigner'), { ...S3_SDK, name: '@aws-sdk/s3-request-presigner' }),
    ]).then(([sdk, presign]) => ({
      sdk,
      presign,
      client: options.client ?? new sdk.S3Client(config),
    })));
  const Bucket = options.bucket;
  const prefix = options.prefix ?? '';
  const Key = (key: string) => prefix + assertKey(key);

  async function stat(key: string): Promise<{ size: number } | null> {
    const { sdk, client } = await load();
    try {
      const head = await client.send(new sdk.HeadObjectCommand({ Bucket, Key: Key(key) }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  return {
    kind: 's3',
    async uploadUrl(key, file, expiresInSeconds) {
      const { sdk, presign, client } = await load();
      const command = new sdk.PutObjectCommand({ Bucket, Key: Key(key), ContentType: file.type, ContentLength: file.size });
      // Content-Length and Content-Type are signed: S3 refuses a PUT of any other size or type.
      const url = await presign.getSignedUrl(client, command, { expiresIn: expiresInSeconds, signableHeaders: new Set(['content-type']) });
      return { method: 'PUT', url, headers: { 'content-type': file.type } };
    },
    async write(key, body, writeOptions) {
      // Server-side writes are small (thumbnails); large files arrive by presigned PUT instead.
      const bytes = await collect(body, writeOptions.maxBytes);
      const { sdk, client } = await load();
      await client.send(new sdk.PutObjectCommand({ Bucket, Key: Key(key), Body: bytes, ContentType: writeOptions.type }));
      return { size: bytes.byteLength };
    },
    stat,
    async readHead(key, length) {
      // An empty object has no byte 0 (S3 answers 416, s3rver never answers): ask for its size first.
      const info = await stat(key);
      if (!info) return null;
      if (info.size === 0 || length <= 0) return new Uint8Array(0);
      const { sdk, client } = await load();
      try {
        const end = Math.min(length, info.size) - 1;
        const object = await client.send(new sdk.GetObjectCommand({ Bucket, Key: Key(key), Range: `bytes=0-${end}` }));
        const bytes = await object.Body!.transformToByteArray();
        return bytes.subarray(0, length);
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    async read(key) {
      const { sdk, client } = await load();
      try {
        const object = await client.send(new sdk.GetObjectCommand({ Bucket, Key: Key(key) }));
        return { body: object.Body!.transformToWebStream() as ReadableStream<Uint8Array>, size: object.ContentLength ?? 0 };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },
    async downloadUrl(key, download) {
      const { sdk, presign, client } = await load();
      const command = new sdk.GetObjectCommand({
        Bucket,
        Key: Key(key),
        // S3 cannot add nosniff or a CSP; the bucket's own origin and these overrides keep it safe.
        ResponseContentType: download.type,
        ResponseContentDisposition: contentDisposition(download.disposition, download.filename),
        ResponseCacheControl: `private, max-age=${download.expiresInSeconds}`,
      });
      return presign.getSignedUrl(client, command, { expiresIn: download.expiresInSeconds });
    },
    async delete(keys) {
      const { sdk, client } = await load();
      for (const key of keys) await client.send(new sdk.DeleteObjectCommand({ Bucket, Key: Key(key) }));
    },
  };
}

async function collect(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new FileTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'NotFound' || name === 'NoSuchKey' || statusOf(error) === 404;
}
