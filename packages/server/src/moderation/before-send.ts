import { LIMITS } from '@banter/core/protocol';
import { ApiError } from '../errors/api-error';

/** What a `beforeSend` hook is shown: the message about to be stored (a send or an edit). */
export interface BeforeSendMessage {
  kind: 'send' | 'edit';
  conversationId: string;
  senderId: string;
  body: string;
  /** Who asked: an end user over HTTP, or the host's backend (`chat.api`). */
  via: 'http' | 'api';
}

/** `undefined`: keep it; `{ reject }`: refuse it with that reason; `{ body }`: store this body instead. */
export type BeforeSendResult = undefined | { reject: string } | { body: string };

/**
 * The host's synchronous, in-process policy on every send and edit (profanity filter, links
 * policy): no webhook round trip. It runs inside the operation, after validation.
 */
export type BeforeSend = (message: BeforeSendMessage) => BeforeSendResult;

/**
 * Run the hook and return the body to store. A rejection is 422 `unprocessable` with the hook's
 * reason (`details.reason` `rejected`); a rewritten body is validated against the same limits
 * (400 when the rewrite is blank or too long). A hook that throws is a server error (500).
 *
 * @example
 * ```ts
 * const body = applyBeforeSend(hook, { kind: 'send', conversationId, senderId, body: 'hi', via: 'http' }, 4000);
 * ```
 */
export function applyBeforeSend(hook: BeforeSend | undefined, message: BeforeSendMessage, maxLength: number): string {
  if (!hook) return message.body;
  const result = hook(message);
  if (result === undefined || result === null) return message.body;
  if ('reject' in result) {
    const reason = String(result.reject).slice(0, 500) || 'refused by the server policy';
    throw new ApiError('unprocessable', `unable to ${message.kind === 'send' ? 'send' : 'edit'} message; ${reason}`, {
      details: { reason: 'rejected', message: reason },
    });
  }
  if (typeof result.body !== 'string') throw new TypeError('banter: beforeSend must return undefined, { reject } or { body: string }');
  const max = Math.min(maxLength, LIMITS.messageLength);
  const body = result.body;
  if (body.trim().length === 0 || body.length > max) {
    const problem = body.trim().length === 0 ? 'a message needs some text' : `messages are at most ${max} characters`;
    throw new ApiError('validation_failed', `invalid input; body (as rewritten by the server policy): ${problem}`, {
      details: [{ path: 'body', message: problem }],
    });
  }
  return body;
}
