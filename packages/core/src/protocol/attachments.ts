import { z } from 'zod';

/** Upload limits of the protocol; a server may set a lower `maxBytes` (default 25 MB). */
export const UPLOAD_LIMITS = {
  /** Characters in a file name. */
  nameLength: 255,
  /** The largest file any Banter server accepts; the default limit is `defaultMaxBytes`. */
  maxBytes: 5 * 1024 * 1024 * 1024,
  defaultMaxBytes: 25 * 1024 * 1024,
  /** Files on one message. */
  perMessage: 10,
} as const;

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
