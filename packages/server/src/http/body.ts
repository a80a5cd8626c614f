import { ApiError } from '../errors/api-error';

/**
 * Read a request body up to `limit` bytes, counting while the stream arrives (a huge body is cut
 * off at the limit, never buffered whole). An absent body reads as ''.
 */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError('validation_failed', 'invalid body; not UTF-8 text');
  }
}

const tooLarge = (limit: number) => new ApiError('payload_too_large', `request body is larger than ${limit} bytes`, { details: { limit } });

function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * A JSON body. `optional`: an empty body (no content type needed) reads as `{}`. Anything but
 * `application/json` (or `+json`) is a 415; malformed JSON is a 400.
 */
export async function readJsonBody(request: Request, limit: number, options: { optional?: boolean } = {}): Promise<unknown> {
  const type = mediaType(request);
  const text = await readBodyTextChecked(request, limit, type, options.optional);
  if (text === null) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('validation_failed', 'invalid body; malformed JSON');
  }
}

async function readBodyTextChecked(request: Request, limit: number, type: string, optional?: boolean): Promise<string | null> {
  if (type === '' && optional) {
    const text = await readBodyText(request, limit);
    if (text.trim() === '') return null;
    throw unsupported();
  }
  if (type !== 'application/json' && !/^application\/[\w.+-]+\+json$/.test(type)) throw unsupported();
  const text = await readBodyText(request, limit);
  if (text.trim() === '' && optional) return null;
  return text;
}

const unsupported = () => new ApiError('unsupported_media_type', 'unsupported content type; send application/json');

/** A form body (pusher-js channel authorization) or JSON, as string fields. */
export async function readFormBody(request: Request, limit: number): Promise<Record<string, unknown>> {
  const type = mediaType(request);
  if (type === 'application/x-www-form-urlencoded') {
    const text = await readBodyText(request, limit);
    return Object.fromEntries(new URLSearchParams(text));
  }
  if (type === 'application/json') {
    const body = await readJsonBody(request, limit);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ApiError('validation_failed', 'invalid body; expected an object');
    }
    return body as Record<string, unknown>;
  }
  throw new ApiError('unsupported_media_type', 'unsupported content type; send application/x-www-form-urlencoded');
}
