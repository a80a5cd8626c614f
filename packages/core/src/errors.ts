import { ERROR_STATUS, type ErrorCode } from './protocol/errors';

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
  override name = 'BanterError';
  code: ErrorCode;
  /** HTTP status; 0 for network failures. */
  status: number;
  details?: unknown;

  constructor(code: ErrorCode, message: string, options: { status?: number; details?: unknown; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.details = options.details;
  }
}

/**
 * True when `value` is a {@link BanterError}.
 *
 * @example
 * if (isBanterError(error) && error.code === 'network') retryLater();
 */
export function isBanterError(value: unknown): value is BanterError {
  return value instanceof BanterError;
}

/**
 * Turns anything thrown into a {@link BanterError} (`network` unless it is one already).
 *
 * @example
 * catch (error) { report(toBanterError(error, 'unable to load messages')); }
 */
export function toBanterError(error: unknown, context?: string): BanterError {
  if (error instanceof BanterError) return error;
  const reason = (error as Error)?.message ?? String(error);
  return new BanterError('network', context ? `${context}; ${reason}` : reason, { cause: error });
}
