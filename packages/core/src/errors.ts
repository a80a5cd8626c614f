import { ERROR_STATUS, isErrorCode, type ErrorCode } from './protocol/errors';

/**
 * The one error type the client throws and reports: the server's error codes, plus `network`
 * (status 0) when no answer arrived at all.
 *
 * @example
 * try {
 *   await client.conversations.get(id);
 * } catch (error) {
 *   if (error instanceof BanterError && error.code === 'not_found') showMissing();
 * }
 */
export class BanterError extends Error {
  override readonly name = 'BanterError';
  readonly code: ErrorCode;
  /** HTTP status; 0 for network failures. */
  readonly status: number;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, options: { status?: number; details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    if (options.details !== undefined) this.details = options.details;
  }
}

/**
 * True when `value` is a {@link BanterError} (also across bundle copies, by shape).
 *
 * @example
 * if (isBanterError(error) && error.code === 'network') retryLater();
 */
export function isBanterError(value: unknown): value is BanterError {
  return (
    value instanceof BanterError ||
    (typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'BanterError' && isErrorCode((value as { code?: unknown }).code))
  );
}

/**
 * Turns anything thrown into a {@link BanterError}; `context` prefixes the message ("unable to send message").
 *
 * @example
 * catch (error) { throw toBanterError(error, 'unable to load messages'); }
 */
export function toBanterError(error: unknown, context?: string): BanterError {
  if (isBanterError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new BanterError('network', context ? `${context}; ${reason}` : reason, { cause: error });
}
