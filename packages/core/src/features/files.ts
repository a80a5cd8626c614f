import { BanterError } from '../errors';
import type { UploadLimitsInfo } from '../protocol/attachments';
import type { LocalFile, LocalMessage, SendInput } from '../types';
import type { ClientContext } from './context';

type Input = NonNullable<SendInput['files']>[number];

/** What the server's name rule refuses (slashes, control characters) becomes `_`. */
const safeName = (name: string | undefined) =>
  [...(name ?? '')]
    .map((c) => (c < ' ' || c === '\u007f' || c === '/' || c === '\\' ? '_' : c))
    .join('')
    .trim()
    .slice(0, 255) || 'file';
const mediaType = (type: string) => type.split(';')[0]!.trim().toLowerCase();

/**
 * Files of pending messages: checked against the server's limits before any request, shown at once
 * (object URLs for images), uploaded just before the message is sent (the upload code loads lazily),
 * and kept until the server confirms, so a retry uploads only what is not in yet.
 *
 * @example
 * const files = createFiles(ctx);
 * const { files: shown, error } = files.add(clientId, [file]);
 * const attachments = await files.upload(conversationId, message);
 */
export function createFiles(ctx: ClientContext) {
  let limits: UploadLimitsInfo | null = null;
  const blobs = new Map<string, Input[]>();
  const objectUrls = new Map<string, string[]>();
  // Uploads in progress, by clientId: `cancel` aborts them.
  const uploading = new Map<string, AbortController>();

  return {
    get limits() {
      return limits;
    },
    setLimits(next: UploadLimitsInfo | undefined) {
      limits = next ?? null;
    },
    /** The files of a new message as the store shows them (checked against the limits before the upload). */
    add(clientId: string, files: readonly Input[]): LocalFile[] {
      const canPreview = typeof globalThis.URL?.createObjectURL === 'function';
      const urls: string[] = [];
      const shown = files.map((file) => {
        const previewUrl = canPreview && file.type.startsWith('image/') ? URL.createObjectURL(file) : null;
        if (previewUrl) urls.push(previewUrl);
        return { name: safeName(file.name), type: mediaType(file.type), size: file.size, previewUrl, loaded: 0, uploadId: null };
      });
      blobs.set(clientId, [...files]);
      if (urls.length) objectUrls.set(clientId, urls);
      return shown;
    },
    /** Checks, then uploads the files not in yet, in order; resolves with every upload id (undefined: no files). */
    async upload(conversationId: string, message: LocalMessage): Promise<string[] | undefined> {
      const files = message.files;
      if (!files?.length) return undefined;
      const inputs = blobs.get(message.clientId);
      if (!inputs) {
        throw new BanterError('validation_failed', 'unable to send message; its files are gone (the page was reloaded): attach them again');
      }
      // Loaded with the first file: a client that never sends one never pays for it.
      const controller = new AbortController();
      uploading.set(message.clientId, controller);
      try {
        const { uploadFiles } = await import('./file-upload');
        controller.signal.throwIfAborted();
        return await uploadFiles(ctx, limits, conversationId, { ...message, files }, inputs, controller.signal);
      } finally {
        uploading.delete(message.clientId);
      }
    },
    /** Aborts the uploads of a message; false when none is in progress (the message itself may be sending). */
    cancel(clientId: string): boolean {
      uploading.get(clientId)?.abort();
      return uploading.delete(clientId);
    },
    /** The message is confirmed or dropped: its bytes and previews go. */
    release(clientId: string) {
      blobs.delete(clientId);
      for (const url of objectUrls.get(clientId) ?? []) globalThis.URL?.revokeObjectURL?.(url);
      objectUrls.delete(clientId);
    },
  };
}
export type Files = ReturnType<typeof createFiles>;
