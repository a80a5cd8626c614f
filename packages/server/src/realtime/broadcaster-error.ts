/**
 * A broadcaster call that failed. `status` is the service's HTTP answer (absent when none came:
 * refused, reset, timed out). `rejected` means the service refused these events themselves (too
 * large, malformed: 400, 413, 422): sending them again cannot succeed, and it says nothing about
 * the service's health. Anything else (no answer, 5xx, 401/403, 429) is the service's trouble.
 */
export class BroadcasterError extends Error {
  override readonly name = 'BroadcasterError';
  readonly status: number | undefined;
  readonly rejected: boolean;
  constructor(message: string, options: { status?: number; rejected?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.rejected = options.rejected ?? (options.status !== undefined && REJECTED_STATUSES.has(options.status));
  }
}

/** Answers that refuse the request's content, not the service being down. */
const REJECTED_STATUSES = new Set([400, 413, 422]);

/**
 * True when the events were refused for what they are (a permanent failure of those events only);
 * false for transport trouble and for errors of unknown origin, which count towards an outage.
 *
 * @example
 * ```ts
 * isRejectedEvent(new BroadcasterError('Pusher trigger failed: HTTP 413', { status: 413 })); // true
 * isRejectedEvent(new Error('connect ECONNREFUSED 127.0.0.1:6001'));                        // false
 * ```
 */
export function isRejectedEvent(error: unknown): boolean {
  return error instanceof BroadcasterError && error.rejected;
}
