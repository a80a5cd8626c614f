/** CORS for the host's configured origins. Tokens travel as bearer headers, so no credentials mode. */
export interface CorsOptions {
  origins: string[] | '*';
}

const ALLOWED_HEADERS = 'authorization, content-type, x-socket-id, x-request-id';

/** Headers for a response to `origin`; empty when CORS is off or the origin is not allowed. */
export function corsHeaders(cors: CorsOptions | undefined, origin: string | null): Record<string, string> {
  if (!cors || !origin) return {};
  if (cors.origins === '*') return { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'x-request-id' };
  if (!cors.origins.includes(origin)) return { vary: 'origin' };
  return { 'access-control-allow-origin': origin, vary: 'origin', 'access-control-expose-headers': 'x-request-id' };
}

/** The extra headers of a preflight answer. */
export function preflightHeaders(allow: string[]): Record<string, string> {
  return {
    'access-control-allow-methods': allow.join(', '),
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': '600',
  };
}
