import { ApiError } from '../errors/api-error';

/** `basePath` as given to createChatServer: '' for the root, else '/x/y' without a trailing slash. */
export function normalizeBasePath(basePath: string | undefined): string {
  if (!basePath || basePath === '/') return '';
  const trimmed = basePath.replace(/\/+$/, '');
  if (!trimmed.startsWith('/')) throw new TypeError(`banter: basePath must start with / (got ${JSON.stringify(basePath)})`);
  return trimmed;
}

/** The path inside the API; a 404 that names the mount point when the request is outside it. */
export function stripBasePath(pathname: string, basePath: string): string {
  if (!basePath) return pathname;
  if (pathname === basePath) return '/';
  if (pathname.startsWith(`${basePath}/`)) return pathname.slice(basePath.length);
  throw new ApiError('not_found', `no route ${pathname}; the chat API is mounted at ${basePath}`);
}
