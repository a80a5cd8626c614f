import { LIMITS } from '@banter/core/protocol';

/**
 * The request and message size limits a host chose, checked once at start-up; a host may lower the
 * message length, never raise it past the protocol's (clients validate against the same number).
 *
 * @example
 * const { requestBytes, messageLength } = requestLimitsOf({ messageLength: 2000 });
 */
export function requestLimitsOf(limits: { requestBytes?: number; messageLength?: number } = {}): {
  requestBytes: number;
  messageLength: number;
} {
  const requestBytes = limits.requestBytes ?? LIMITS.requestBytes;
  const messageLength = Math.min(limits.messageLength ?? LIMITS.messageLength, LIMITS.messageLength);
  if (!(requestBytes > 0) || !(messageLength > 0)) throw new TypeError('banter: limits must be positive numbers');
  return { requestBytes, messageLength };
}
