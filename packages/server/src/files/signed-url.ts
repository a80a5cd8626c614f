import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../http/errors';

export interface UrlSigner {
  /** `path?expires=…&signature=…`, valid for `expiresInSeconds` for this method and path only. */
  sign(method: 'GET' | 'PUT', path: string, expiresInSeconds: number): string;
  /** Throws a 403 `forbidden` unless `url` carries a valid, unexpired signature for this method and path. */
  verify(method: 'GET' | 'PUT', path: string, search: URLSearchParams): void;
}

/**
 * HMAC-signed Banter URLs for files on the local disk: anyone holding the URL may read (or upload)
 * that one file until it expires, without a bearer token (an `<img src>` cannot send one). The
 * key is derived from the server secret, so a file signature is never valid as a token and back.
 *
 * @example
 * ```ts
 * const signer = createUrlSigner(process.env.BANTER_SECRET!);
 * const url = signer.sign('GET', '/files/0b6d…/original', 300); // '/files/…?expires=…&signature=…'
 * signer.verify('GET', '/files/0b6d…/original', new URL(url, 'http://x').searchParams);
 * ```
 */
export function createUrlSigner(secret: string, now: () => number = Date.now): UrlSigner {
  const key = createHmac('sha256', secret).update('banter file urls v1').digest();
  const mac = (method: string, path: string, expires: number) =>
    createHmac('sha256', key).update(`${method}\n${path}\n${expires}`).digest();

  return {
    sign(method, path, expiresInSeconds) {
      const expires = Math.floor(now() / 1000) + Math.max(1, Math.floor(expiresInSeconds));
      const signature = mac(method, path, expires).toString('base64url');
      return `${path}?expires=${expires}&signature=${signature}`;
    },
    verify(method, path, search) {
      const expires = Number(search.get('expires'));
      const given = Buffer.from(search.get('signature') ?? '', 'base64url');
      if (!Number.isSafeInteger(expires) || given.byteLength !== 32) {
        throw new ApiError('forbidden', 'this file link is not signed; ask the chat API for a fresh one');
      }
      if (!timingSafeEqual(given, mac(method, path, expires))) {
        throw new ApiError('forbidden', 'this file link has a bad signature; ask the chat API for a fresh one');
      }
      if (expires * 1000 <= now()) {
        throw new ApiError('forbidden', 'this file link has expired; ask the chat API for a fresh one', { details: { expires } });
      }
    },
  };
}
