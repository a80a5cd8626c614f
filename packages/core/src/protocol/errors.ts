/**
 * The closed set of error codes Banter answers with, shared by server and client.
 * The body of every error response is `{ "error": { "code", "message", "details"? } }`.
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  network: 0,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/**
 * True when `value` is one of the protocol's error codes (an `error.code` from the API).
 *
 * @example
 * if (isErrorCode(body.error?.code)) handle(body.error.code);
 */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_STATUS, value);
}
