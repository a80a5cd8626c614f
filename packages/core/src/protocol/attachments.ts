import { z } from 'zod';
import { UPLOAD_LIMITS } from './upload-limits';

// In upload-limits.ts (no zod there): the client's up-front bundle checks files against them.
export { UPLOAD_LIMITS };

// Names are shown and offered when saving: no control characters, no path.
const fileNameSchema = z
  .string()
  .trim()
  .min(1, 'a file needs a name')
  .max(UPLOAD_LIMITS.nameLength)
  .refine(
    (name) => ![...name].some((c) => c < ' ' || c === '\u007f' || c === '/' || c === '\\'),
    'a file name has no slashes or control characters',
  );

/**
 * `POST /conversations/:id/uploads`: announce a file. `type` is what the client believes (the
 * server sniffs the bytes and decides); `size` is exact and signed into the upload URL.
 */
export const createUploadBodySchema = z.strictObject({
  name: fileNameSchema,
  type: z
    .string()
    .trim()
    .max(255)
    .regex(/^$|^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/, 'not a media type'),
  size: z.number().int().min(0).max(UPLOAD_LIMITS.maxBytes),
});
export type CreateUploadBody = z.infer<typeof createUploadBodySchema>;

export const createUploadInputSchema = createUploadBodySchema.extend({ conversationId: z.string().max(200) });
export type CreateUploadInput = z.infer<typeof createUploadInputSchema>;

/** The server's upload limits, in `GET /me`: a client checks a file against them before uploading. */
export interface UploadLimitsInfo {
  /** Largest file, in bytes. */
  maxBytes: number;
  /** Media types accepted (by the file's sniffed bytes; a client checks the claimed type). */
  allowedTypes: string[];
  /** Files on one message. */
  perMessage: number;
}

/** An upload as its owner sees it before it is attached. */
export interface Upload {
  id: string;
  conversationId: string;
  name: string;
  /** The client's claim until the file is in; then the sniffed type. */
  type: string;
  size: number;
  /** True once the bytes are in storage and passed the checks. */
  uploaded: boolean;
}

/** The answer to `POST /conversations/:id/uploads`: PUT the bytes to `url` with `headers`. */
export interface CreateUploadResponse {
  upload: Upload;
  method: 'PUT';
  url: string;
  headers: Record<string, string>;
  expiresAt: string;
}

/** A file on a message as read: signed, short-lived URLs issued to participants only. */
export const attachmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  size: z.number(),
  url: z.string(),
  /** When `url` and `image.thumbnailUrl` stop working; read the message again for fresh ones. */
  expiresAt: z.string(),
  image: z
    .object({
      width: z.number(),
      height: z.number(),
      color: z.string(),
      thumbnailUrl: z.string(),
      thumbnailWidth: z.number(),
      thumbnailHeight: z.number(),
    })
    .nullable(),
});
export type Attachment = z.infer<typeof attachmentSchema>;
