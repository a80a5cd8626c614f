import { contentDisposition } from './content-disposition';
import { SAFE_IMAGE_TYPES } from './sniff';

/** Set on every file Banter serves: the file is data, never a page of the host's origin. */
export const FILE_SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  // `sandbox` without allow-scripts: even a file rendered as a page runs no script and gets an opaque origin.
  'content-security-policy': "default-src 'none'; sandbox",
  'referrer-policy': 'no-referrer',
} as const;

/** `inline` for the raster images a browser shows as pictures, `attachment` (download) for anything else. */
export function dispositionFor(type: string): 'inline' | 'attachment' {
  return SAFE_IMAGE_TYPES.includes(type) ? 'inline' : 'attachment';
}

/**
 * The Content-Type a file is served with: its sniffed type, but markup (HTML, SVG, XML), which a
 * browser would execute, goes out as opaque bytes; text declares UTF-8 so it is never guessed.
 *
 * @example
 * ```ts
 * servedType('image/svg+xml'); // 'application/octet-stream'
 * servedType('text/csv'); // 'text/csv; charset=utf-8'
 * ```
 */
export function servedType(type: string): string {
  if (type === 'text/html' || type === 'image/svg+xml' || /[/+]xml$/.test(type)) return 'application/octet-stream';
  if (type.startsWith('text/')) return `${type}; charset=utf-8`;
  return type;
}

/**
 * The response for one stored file, with the headers that keep an uploaded page or SVG from running
 * script on the host's origin (nosniff, a sandboxing CSP, `attachment` for all but safe images).
 *
 * @example
 * ```ts
 * const file = await storage.read(key);
 * return fileResponse(file, { type: 'application/pdf', filename: 'report.pdf', maxAgeSeconds: 300 });
 * ```
 */
export function fileResponse(
  file: { body: ReadableStream<Uint8Array>; size: number },
  options: { type: string; filename: string; maxAgeSeconds: number },
): Response {
  return new Response(file.body, {
    status: 200,
    headers: {
      'content-type': servedType(options.type),
      'content-length': String(file.size),
      'content-disposition': contentDisposition(dispositionFor(options.type), options.filename),
      // The URL is signed and short-lived: a shared cache must not keep it beyond that.
      'cache-control': `private, max-age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
      ...FILE_SECURITY_HEADERS,
    },
  });
}
