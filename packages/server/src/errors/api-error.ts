import { BanterError, type ErrorCode } from '@banter/core/protocol';
import { ZodError } from 'zod';

/**
 * Every error the API answers with: a BanterError (code from the closed protocol set, status,
 * message) that may carry response headers.
 *
 * @example
 * ```ts
 * throw new ApiError('not_found', `conversation ${id} not found`);
 * // -> 404 {"error":{"code":"not_found","message":"conversation … not found"}}
 * ```
 */
export class ApiError extends BanterError {
  override name = 'ApiError';
  /** Extra response headers (e.g. `Allow` on a 405, `Retry-After` on a 429). */
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: { details?: unknown; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(code, message, { details: options.details, cause: options.cause });
    this.headers = options.headers;
  }
}

/** Turn a zod failure into a 400 that names each bad field. */
export function validationError(error: ZodError, what: string): ApiError {
  const details = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  const first = details[0];
  const where = first?.path ? `${first.path}: ` : '';
  return new ApiError('validation_failed', `invalid ${what}; ${where}${first?.message ?? 'malformed'}`, { details });
}

// Connection-level failures (class 08, admin shutdown, cannot connect now) and socket errors.
const UNAVAILABLE_SQLSTATES = /^(08|57P0[1-3]|53300)/;
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGES =
  /connection terminated|timeout exceeded when trying to connect|cannot use a pool after calling end|pglite is closed|client has encountered a connection error|connection ended|driver has already been destroyed/i;

/** True when an error means "the database cannot be reached now" rather than a bug. */
function isUnavailableError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_ERRNOS.has(code))) return true;
  if (error instanceof AggregateError && error.errors.some(isUnavailableError)) return true;
  return UNAVAILABLE_MESSAGES.test(error.message);
}

/**
 * Turn anything thrown into an ApiError: our own pass through, zod -> 400, an unreachable database
 * -> 503, everything else -> 500 `internal` (details stay in the log, never in the response).
 *
 * @example
 * ```ts
 * const error = toApiError(new Error('boom')); // { code: 'internal', status: 500 }
 * ```
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  // A typed failure of another layer keeps its code; its fields stay on the cause for the log.
  if (error instanceof BanterError && error.code !== 'network') {
    return new ApiError(error.code, error.message, { details: error.details, cause: error });
  }
  if (error instanceof ZodError) return validationError(error, 'input');
  if (isUnavailableError(error)) {
    return new ApiError('unavailable', 'the chat database is unavailable; try again shortly', { cause: error });
  }
  return new ApiError('internal', 'internal server error', { cause: error });
}
