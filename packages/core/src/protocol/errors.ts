/**
 * The closed set of error codes Banter answers with, shared by server, relay and client.
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

/**
 * The one error type of Banter: a code from the closed set above, its HTTP status (0 for `network`:
 * no answer arrived) and a message that says what failed and why. The server answers with it, the
 * client throws it, the relay and the outbox derive their typed failures from it. Code branches on
 * `code`, `status` or a subclass's typed fields, never on `message`.
 *
 * @example
 * ```ts
 * try {
 *   await client.conversations.get(id);
 * } catch (error) {
 *   if (error instanceof BanterError && error.code === 'not_found') showMissing();
 * }
 * ```
 */
export class BanterError extends Error {
  override name = 'BanterError';
  code: ErrorCode;
  /** HTTP status; 0 for network failures. */
  status: number;
  details?: unknown;

  constructor(code: ErrorCode, message: string, options: { status?: number; details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.details = options.details;
  }

  /** The response body of this error: `{ error: { code, message, details? } }`. */
  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}
