import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode } from '@banter/core/protocol';
import type { AppState } from './relay-socket';
import { hmacHex, md5Hex, safeEqual } from './signatures';

/** Pusher allows 600 s of clock skew between the SDK and the server. */
const TIMESTAMP_WINDOW_S = 600;

/** A refusal of the HTTP API: a real 4xx status with `{ error: { code, message } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new HttpError(400, 'validation_failed', message);
export const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);

/**
 * Checks key, timestamp and signature as Pusher does (`auth_signature` = HMAC-SHA256 of
 * `METHOD\npath\nsorted query`); returns the (decoded) query parameters.
 */
export function authenticate(req: IncomingMessage, app: AppState, path: string, query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
    if (!params.has(key)) params.set(key, decode(eq < 0 ? '' : pair.slice(eq + 1).replace(/\+/g, ' ')));
  }
  if (params.get('auth_key') !== app.app.key) throw unauthorized('Unknown or missing auth_key');
  const timestamp = Number(params.get('auth_timestamp'));
  if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > TIMESTAMP_WINDOW_S) {
    throw unauthorized(`auth_timestamp is missing or more than ${TIMESTAMP_WINDOW_S} s off the relay's clock`);
  }
  if (params.get('auth_version') !== '1.0') throw unauthorized('auth_version must be 1.0');
  const signature = params.get('auth_signature') ?? '';
  const signed = [...params]
    .filter(([key]) => key !== 'auth_signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const expected = hmacHex(app.app.secret, `${req.method ?? 'GET'}\n${path}\n${signed}`);
  if (!safeEqual(signature, expected)) throw unauthorized('Invalid auth_signature');
  return params;
}

export function checkBodyMd5(body: Buffer, given: string | undefined): void {
  if (body.length === 0 && given === undefined) return;
  if (given === undefined) throw unauthorized('A request with a body needs body_md5');
  if (!safeEqual(given, md5Hex(body))) throw unauthorized('body_md5 does not match the body');
}

/** Reads the body, refusing with 413 as soon as it passes the limit (not after buffering it all). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(tooLarge(req, limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(tooLarge(req, limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function tooLarge(req: IncomingMessage, limit: number): HttpError {
  // Let the rest of the body flow to nowhere; `connection: close` on the 413 ends the socket.
  req.removeAllListeners('data');
  req.resume();
  return new HttpError(413, 'payload_too_large', `Request body is over ${limit} bytes`);
}

export function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  };
  if (status === 413) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(text);
}

export function allow(method: string, expected: string): void {
  if (method !== expected) throw new HttpError(405, 'method_not_allowed', `Use ${expected}`);
}

export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest('The body is not valid JSON');
  }
}

export function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw badRequest('Malformed percent-encoding in the URL');
  }
}
