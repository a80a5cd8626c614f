import { existsSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { moduleDir } from './module-dir';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** A page served as is (tests, or a host's own page next to the API). */
export interface StaticPage {
  body: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * The widget's script-tag build: `@banter/widget/dist/widget.js`, or null when the widget package
 * is not installed or not built (the server then answers 404 with the fix).
 *
 * @example
 * findWidgetScript(); // '/repo/node_modules/@banter/widget/dist/widget.js'
 */
export function findWidgetScript(): string | null {
  try {
    const require = createRequire(join(moduleDir(), 'noop.js'));
    const file = join(dirname(require.resolve('@banter/widget/package.json')), 'dist', 'widget.js');
    return existsSync(file) ? file : null;
  } catch {
    return null;
  }
}

/** The demo page's files: `src/standalone/demo/` from the sources, `dist/demo/` in the build. */
export function demoDir(): string {
  return join(moduleDir(), 'demo');
}

/**
 * A strict policy for Banter's own pages: nothing inline, everything from this origin. The demo
 * and the widget must keep working under it (the browser tests check).
 */
export const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; " +
  "base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/** Send one file with a content type by extension; false when it does not exist. */
export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  headers: Record<string, string> = {},
): Promise<boolean> {
  let info: Stats;
  try {
    info = await stat(file);
  } catch {
    return false;
  }
  if (!info.isFile()) return false;
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const extension = /\.[a-z]+$/.exec(file)?.[0] ?? '';
  const common = {
    'content-type': TYPES[extension] ?? 'application/octet-stream',
    // Revalidate every time: a rebuilt widget must reach the page on the next reload.
    'cache-control': 'no-cache',
    etag,
    'x-content-type-options': 'nosniff',
    ...headers,
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, common);
    res.end();
    return true;
  }
  const body = await readFile(file);
  res.writeHead(200, { ...common, 'content-length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

/** Send a StaticPage. */
export function sendPage(req: IncomingMessage, res: ServerResponse, page: StaticPage): void {
  const body = typeof page.body === 'string' ? Buffer.from(page.body) : page.body;
  res.writeHead(200, {
    'content-type': page.contentType ?? 'text/html; charset=utf-8',
    'content-length': String(body.length),
    'cache-control': 'no-store',
    ...page.headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** A JSON error in the API's shape. */
export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}
