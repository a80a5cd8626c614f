import { ApiError } from '../http/errors';
import { checkType, SNIFF_BYTES, sniffType } from './sniff';
import type { FileStorage } from './storage';
import { withStorage } from './storage-errors';

export interface ReceiveUploadOptions {
  storage: FileStorage;
  key: string;
  /** What the client announced when it asked for the upload; the bytes must match it. */
  declared: { size: number; type: string };
  allowedTypes: readonly string[];
}

/**
 * Banter's own upload endpoint (local disk): stream a PUT body into storage. The first bytes are
 * sniffed as they arrive, so a disguised or refused type stops the upload before the rest is
 * written; more bytes than declared stop it at the limit; fewer leave nothing stored.
 *
 * @example
 * ```ts
 * const { size, type } = await receiveUpload(request, { storage, key, declared: { size, type }, allowedTypes });
 * ```
 */
export async function receiveUpload(request: Request, options: ReceiveUploadOptions): Promise<{ size: number; type: string }> {
  const { declared } = options;
  const length = request.headers.get('content-length');
  if (length !== null && Number(length) !== declared.size) {
    throw new ApiError('validation_failed', `invalid upload; the body is ${length} bytes but ${declared.size} were announced`, {
      details: { size: declared.size },
    });
  }
  if (!request.body && declared.size > 0) throw new ApiError('validation_failed', 'invalid upload; the body is empty');
  let type = '';
  let head: Uint8Array = new Uint8Array(0);
  const check = async () => {
    const result = checkType(await sniffType(head), declared.type, options.allowedTypes);
    if (!result.ok) throw refusal(result.reason, result.message, result.detected);
    type = result.type;
  };
  // Holds only the first SNIFF_BYTES; everything after streams straight through to storage.
  const sniffing = new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      if (!type && head.byteLength < SNIFF_BYTES) {
        head = concat(head, chunk.subarray(0, SNIFF_BYTES - head.byteLength));
        if (head.byteLength >= SNIFF_BYTES) await check();
      }
      controller.enqueue(chunk);
    },
    async flush() {
      if (!type) await check();
    },
  });
  const body = (request.body ?? new Response('').body!).pipeThrough(sniffing);
  const { size } = await withStorage(() => options.storage.write(options.key, body, { maxBytes: declared.size }));
  if (size !== declared.size) {
    await withStorage(() => options.storage.delete([options.key]));
    throw new ApiError('validation_failed', `invalid upload; got ${size} bytes of the ${declared.size} announced`, {
      details: { size: declared.size, received: size },
    });
  }
  return { size, type };
}

/** The error for a refused type: a disguise is a 422, a type not accepted here a 415. */
export function refusal(reason: 'not_allowed' | 'disguised', message: string, detected: string): ApiError {
  return reason === 'disguised'
    ? new ApiError('unprocessable', `invalid upload; the file ${message}`, { details: { detected } })
    : new ApiError('unsupported_media_type', `invalid upload; ${message}`, { details: { detected } });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.byteLength + b.byteLength);
  joined.set(a, 0);
  joined.set(b, a.byteLength);
  return joined;
}
