import { BanterError } from './protocol/errors';

// The class lives in the protocol, so the server and the relay throw the same type the client does.
export { BanterError };

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
 * True for a failure that passes by itself, worth trying again later: no answer at all (`network`),
 * the server or its database briefly gone (`unavailable`, 503) or over a rate limit (`rate_limited`).
 *
 * @example
 * if (isTransient(error)) retryLater(); else showFailed(error);
 */
export function isTransient(error: unknown): boolean {
  const code = (error as BanterError | undefined)?.code;
  return error instanceof BanterError && (code === 'network' || code === 'unavailable' || code === 'rate_limited');
}

/**
 * Turns anything thrown into a {@link BanterError}. A `BanterError` passes through; anything else is
 * `internal` (status 500): an unknown throw (a bug, a host's own `HttpApi` failing) is not a network
 * failure, so nothing retries it as one. The HTTP layer itself labels a missing answer `network`.
 *
 * @example
 * catch (error) { report(toBanterError(error, 'unable to load messages')); }
 */
export function toBanterError(error: unknown, context?: string): BanterError {
  if (error instanceof BanterError) return error;
  const reason = (error as Error)?.message ?? String(error);
  return new BanterError('internal', context ? `${context}; ${reason}` : reason, { cause: error });
}
