import type { ApiError } from '../errors/api-error';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...JSON_HEADERS, ...headers } });
}

export function errorResponse(error: ApiError, headers: Record<string, string> = {}): Response {
  return json(error.status, error.toBody(), { ...error.headers, ...headers });
}
