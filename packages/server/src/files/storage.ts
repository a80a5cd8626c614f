/**
 * Where uploaded files live. Two implementations ship: the local disk (`createLocalStorage`, the
 * default, under `<dataDir>/files/`) and any S3-compatible store (`createS3Storage`). A host can
 * bring its own by implementing this interface.
 *
 * Keys are Banter's own (`<conversationId>/<uploadId>/original`), never a client's file name.
 */
export interface FileStorage {
  /** `local` or `s3`, for logs and `banter doctor`; a custom storage names itself. */
  readonly kind: string;
  /**
   * A URL the client PUTs the bytes to directly (S3: a presigned PUT, so the file never passes
   * through Banter), or null when Banter receives them itself (local disk: Banter's signed PUT URL,
   * streamed to `write`).
   */
  uploadUrl(key: string, file: { type: string; size: number }, expiresInSeconds: number): Promise<DirectUpload | null>;
  /** Stream bytes into `key`, refusing more than `maxBytes`; the object appears only when complete. */
  write(key: string, body: ReadableStream<Uint8Array>, options: WriteOptions): Promise<{ size: number }>;
  /** The object's size, or null when there is none. */
  stat(key: string): Promise<{ size: number } | null>;
  /** Up to `length` bytes from the start (for sniffing the type), or null when there is no object. */
  readHead(key: string, length: number): Promise<Uint8Array | null>;
  /** The whole object as a stream, or null when there is none. */
  read(key: string): Promise<{ body: ReadableStream<Uint8Array>; size: number } | null>;
  /**
   * A short-lived URL a browser reads the object from directly (S3: a presigned GET), or null when
   * Banter serves it (local disk: Banter's HMAC-signed URL).
   */
  downloadUrl(key: string, options: DownloadOptions): Promise<string | null>;
  /** Remove objects; a key that is already gone is not an error (deletes are retried). */
  delete(keys: string[]): Promise<void>;
}

export interface DirectUpload {
  method: 'PUT';
  url: string;
  /** Headers the PUT must send exactly as given (they are part of the signature). */
  headers: Record<string, string>;
}

export interface WriteOptions {
  maxBytes: number;
  /** Stored with the object (S3's Content-Type); the local disk keeps types in the database. */
  type?: string;
}

export interface DownloadOptions {
  /** The file name a browser offers when saving. */
  filename: string;
  /** The sniffed type the response declares. */
  type: string;
  /** `inline` only for safe raster images; everything else downloads. */
  disposition: 'inline' | 'attachment';
  expiresInSeconds: number;
}

const KEY = /^[a-z0-9][a-z0-9_-]{0,127}(\/[a-z0-9][a-z0-9_.-]{0,127}){0,4}$/;

/**
 * Refuse a key that is not one Banter made: lower-case segments, no `..`, no leading slash. The
 * local disk joins keys onto a folder, so this is what keeps a key inside it.
 *
 * @example
 * ```ts
 * assertKey('0b6d…/4f1e…/original'); // ok
 * assertKey('../etc/passwd'); // throws
 * ```
 */
export function assertKey(key: string): string {
  if (!KEY.test(key) || key.split('/').some((segment) => segment === '.' || segment === '..')) {
    throw new TypeError(`banter: invalid storage key ${JSON.stringify(key)}`);
  }
  return key;
}

/**
 * Thrown by `write` when the body is larger than `maxBytes` (the part written is discarded).
 *
 * @example
 * ```ts
 * try { await storage.write(key, body, { maxBytes: 1024 }); } catch (e) { if (e instanceof FileTooLargeError) … }
 * ```
 */
export class FileTooLargeError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`the file is larger than ${limit} bytes`);
    this.name = 'FileTooLargeError';
    this.limit = limit;
  }
}
