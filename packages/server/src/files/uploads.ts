import {
  type Attachment,
  type CreateUploadInput,
  type CreateUploadResponse,
  UPLOAD_LIMITS,
  type Upload,
  type UploadLimitsInfo,
} from '@banter/core/protocol';
import type { Database } from '../db/create-database';
import type { UploadRow } from '../db/types';
import { ApiError } from '../http/errors';
import type { BanterLogger } from '../observability/logger';
import { countPendingUploads, getUpload, insertUpload, markUploaded, takeStaleUploads, uploadKeys } from '../store/uploads';
import { finishUpload } from './finish-upload';
import { receiveUpload } from './receive-upload';
import { dispositionFor, fileResponse } from './serve-file';
import { createUrlSigner } from './signed-url';
import { DEFAULT_ALLOWED_TYPES, mediaTypeOf } from './sniff';
import type { FileStorage } from './storage';
import { withStorage } from './storage-errors';

export interface UploadLimits {
  /** Largest file, in bytes (default 25 MB). */
  maxBytes?: number;
  /** Types accepted, by their sniffed bytes (default `DEFAULT_ALLOWED_TYPES`). */
  allowedTypes?: readonly string[];
  /** Uploads one user may have asked for and not attached yet (default 50). */
  pendingPerUser?: number;
  /** How long a read URL works (default 3600 s); a removed participant's URL ends with it. */
  readUrlSeconds?: number;
  /** How long an upload URL works (default 900 s). */
  uploadUrlSeconds?: number;
}

export interface Uploads {
  request(userId: string, input: CreateUploadInput): Promise<CreateUploadResponse>;
  /** Banter's own file routes (`PUT /files/:id`, `GET /files/:id/original|thumbnail`); null for other paths. */
  handle(request: Request, path: string): Promise<Response | null>;
  /** Check uploads a message is about to take: the sender's own, in this conversation, free, and in storage. */
  prepare(userId: string, conversationId: string, ids: readonly string[]): Promise<UploadRow[]>;
  /** Attachments as a participant reads them, with fresh signed URLs. */
  attachments(rows: readonly UploadRow[]): Promise<Attachment[]>;
  /** Remove uploads never attached within `olderThanMs` (default a day): rows, then files. */
  sweep(olderThanMs?: number): Promise<number>;
  storage: FileStorage;
  /** What a client checks before uploading (`GET /me` answers it). */
  limits: UploadLimitsInfo;
}

const FILE_PATH = /^\/files\/([0-9a-f-]{36})(?:\/(original|thumbnail))?$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Uploads end to end: announce (a row and an upload URL), receive (local disk), check (S3: when
 * attached), read (signed URLs), and sweep. The operations and the composition root call into this.
 *
 * @example
 * ```ts
 * const uploads = createUploads({ database, storage, secret, basePath: '/api' });
 * const { upload, url, headers } = await uploads.request('alice', { conversationId, name: 'a.png', type: 'image/png', size: 1234 });
 * ```
 */
export function createUploads(options: {
  database: Database;
  storage: FileStorage;
  secret: string;
  basePath: string;
  limits?: UploadLimits;
  /** Hears once when thumbnails are off (sharp not installed). */
  logger?: BanterLogger;
}): Uploads {
  const { database, storage, basePath } = options;
  const maxBytes = Math.min(options.limits?.maxBytes ?? UPLOAD_LIMITS.defaultMaxBytes, UPLOAD_LIMITS.maxBytes);
  const allowedTypes = options.limits?.allowedTypes ?? DEFAULT_ALLOWED_TYPES;
  const pendingPerUser = options.limits?.pendingPerUser ?? 50;
  const readSeconds = options.limits?.readUrlSeconds ?? 3600;
  const uploadSeconds = options.limits?.uploadUrlSeconds ?? 900;
  const signer = createUrlSigner(options.secret);
  const db = () => database.kysely;
  const declaredOf = (row: UploadRow) => ({ size: row.size, type: row.declared_type });

  async function check(row: UploadRow): Promise<UploadRow> {
    const keys = uploadKeys(row);
    const file = await finishUpload({
      storage,
      key: keys.original,
      thumbnailKey: keys.thumbnail,
      declared: declaredOf(row),
      allowedTypes,
      images: { logger: options.logger },
    });
    return markUploaded(db(), row.id, file);
  }

  async function readUrl(row: UploadRow, variant: 'original' | 'thumbnail'): Promise<string> {
    const type = variant === 'thumbnail' ? 'image/webp' : row.type!;
    const filename = variant === 'thumbnail' ? `${row.name}.webp` : row.name;
    const direct = await withStorage(() =>
      storage.downloadUrl(uploadKeys(row)[variant], { filename, type, disposition: dispositionFor(type), expiresInSeconds: readSeconds }),
    );
    return direct ?? basePath + signer.sign('GET', `/files/${row.id}/${variant}`, readSeconds);
  }

  return {
    storage,
    limits: { maxBytes, allowedTypes: [...allowedTypes], perMessage: UPLOAD_LIMITS.perMessage },
    async request(userId, input) {
      if (input.size > maxBytes) {
        throw new ApiError('payload_too_large', `invalid upload; files are at most ${maxBytes} bytes`, { details: { limit: maxBytes } });
      }
      const conversationId = input.conversationId.toLowerCase();
      if (!/^[0-9a-f-]{36}$/.test(conversationId)) throw new ApiError('not_found', `conversation ${input.conversationId} not found`);
      if ((await countPendingUploads(db(), userId)) >= pendingPerUser) {
        throw new ApiError('rate_limited', `too many uploads not attached to a message yet (at most ${pendingPerUser}); send or wait`, {
          headers: { 'retry-after': '60' },
        });
      }
      const type = mediaTypeOf(input.type) || 'application/octet-stream';
      const row = await insertUpload(db(), { conversationId, uploaderId: userId, name: input.name, declaredType: type, size: input.size });
      if (!row) throw new ApiError('not_found', `conversation ${input.conversationId} not found`);
      const direct = await withStorage(() => storage.uploadUrl(uploadKeys(row).original, { type, size: row.size }, uploadSeconds));
      return {
        upload: toUpload(row),
        method: 'PUT',
        url: direct?.url ?? basePath + signer.sign('PUT', `/files/${row.id}`, uploadSeconds),
        headers: direct?.headers ?? { 'content-type': type },
        expiresAt: new Date(Date.now() + uploadSeconds * 1000).toISOString(),
      };
    },
    async handle(request, path) {
      const match = FILE_PATH.exec(path);
      if (!match) return null;
      const [, id, variant] = match as unknown as [string, string, 'original' | 'thumbnail' | undefined];
      const search = new URL(request.url).searchParams;
      if (request.method === 'PUT' && !variant) {
        signer.verify('PUT', path, search);
        const row = await getUpload(db(), id);
        if (!row) throw new ApiError('not_found', `upload ${id} not found (it expired, or was removed)`);
        if (row.uploaded_at) throw new ApiError('conflict', `upload ${id} already has its file`);
        await receiveUpload(request, { storage, key: uploadKeys(row).original, declared: declaredOf(row), allowedTypes });
        return json({ upload: toUpload(await check(row)) });
      }
      if ((request.method === 'GET' || request.method === 'HEAD') && variant) {
        signer.verify('GET', path, search);
        const row = await getUpload(db(), id);
        if (!row?.uploaded_at || (variant === 'thumbnail' && row.thumbnail_width === null)) {
          throw new ApiError('not_found', `file ${id}/${variant} not found`);
        }
        const file = await withStorage(() => storage.read(uploadKeys(row)[variant]));
        if (!file) throw new ApiError('not_found', `file ${id}/${variant} not found`);
        const expires = Number(search.get('expires'));
        const type = variant === 'thumbnail' ? 'image/webp' : row.type!;
        const filename = variant === 'thumbnail' ? `${row.name}.webp` : row.name;
        return fileResponse(file, { type, filename, maxAgeSeconds: expires - Date.now() / 1000 });
      }
      throw new ApiError('method_not_allowed', `${request.method} is not allowed on ${path}`, {
        headers: { allow: variant ? 'GET, HEAD' : 'PUT' },
      });
    },
    async prepare(userId, conversationId, ids) {
      if (ids.length > UPLOAD_LIMITS.perMessage) {
        throw new ApiError('validation_failed', `invalid attachments; at most ${UPLOAD_LIMITS.perMessage} files on one message`);
      }
      if (new Set(ids).size !== ids.length) throw new ApiError('validation_failed', 'invalid attachments; an upload is listed twice');
      const rows: UploadRow[] = [];
      for (const id of ids) {
        const row = /^[0-9a-f-]{36}$/i.test(id) ? await getUpload(db(), id.toLowerCase()) : undefined;
        // Someone else's upload, or one of another conversation, reads like an unknown one.
        if (!row || row.uploader_id !== userId || row.conversation_id !== conversationId) {
          throw new ApiError('unprocessable', `invalid attachments; upload ${id} is not one of yours in this conversation`, {
            details: { upload: id },
          });
        }
        if (row.message_id)
          throw new ApiError('conflict', `invalid attachments; upload ${id} is already on a message`, { details: { upload: id } });
        // S3 uploads went straight to the bucket: this is where they are checked.
        rows.push(row.uploaded_at ? row : await check(row));
      }
      return rows;
    },
    async attachments(rows) {
      return Promise.all(
        rows.map(async (row) => ({
          id: row.id,
          name: row.name,
          type: row.type!,
          size: row.size,
          url: await readUrl(row, 'original'),
          expiresAt: new Date(Date.now() + readSeconds * 1000).toISOString(),
          image:
            row.width !== null && row.thumbnail_width !== null
              ? {
                  width: row.width,
                  height: row.height!,
                  color: row.color!,
                  thumbnailUrl: await readUrl(row, 'thumbnail'),
                  thumbnailWidth: row.thumbnail_width,
                  thumbnailHeight: row.thumbnail_height!,
                }
              : null,
        })),
      );
    },
    async sweep(olderThanMs = DAY_MS) {
      const rows = await takeStaleUploads(db(), new Date(Date.now() - olderThanMs), 500);
      const keys = rows.flatMap((row) => Object.values(uploadKeys(row)));
      await withStorage(() => storage.delete(keys));
      return rows.length;
    },
  };
}

function toUpload(row: UploadRow): Upload {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    name: row.name,
    type: row.type ?? row.declared_type,
    size: row.size,
    uploaded: row.uploaded_at !== null,
  };
}

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
  });
}
