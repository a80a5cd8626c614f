/** How long a failed outbox row waits before its next attempt. */
export interface BackoffOptions {
  /** Wait after the first failure, before jitter (ms). */
  baseMs: number;
  /** Longest wait, before jitter (ms). */
  capMs: number;
}

/**
 * Exponential backoff with "equal jitter": the wait doubles with each failed attempt up to the cap,
 * then a random half of it is taken off, so instances that failed together do not retry together.
 * `attempts` counts the failures so far (1 after the first one).
 *
 * @example
 * ```ts
 * backoffDelay(1, { baseMs: 500, capMs: 60_000 }); // 250..500
 * backoffDelay(4, { baseMs: 500, capMs: 60_000 }); // 2000..4000
 * ```
 */
export function backoffDelay(attempts: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempts - 1, 40));
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
