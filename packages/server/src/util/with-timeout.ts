/** Something did not finish in time: `what` says what, `timeoutMs` how long it had. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  readonly timeoutMs: number;
  constructor(what: string, timeoutMs: number) {
    super(`${what} did not finish within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

export interface WithTimeoutOptions {
  /** Resolve with `undefined` at the deadline instead of rejecting (a bounded wait, e.g. a shutdown grace). */
  settle?: boolean;
}

/**
 * The one timeout of the server: `work` or a `TimeoutError` after `ms`, whichever comes first. The
 * timer is cleared as soon as `work` settles and never keeps the process alive on its own. The work
 * itself is not cancelled (a promise cannot be): pass an AbortSignal to it where it takes one.
 *
 * @example
 * ```ts
 * await withTimeout(broadcaster.triggerBatch(events), 10_000, 'broadcaster call');
 * await withTimeout(socketsClosed, 1000, 'relay close', { settle: true }); // wait at most 1 s
 * ```
 */
export function withTimeout<T>(work: PromiseLike<T>, ms: number, what: string, options: { settle: true }): Promise<T | undefined>;
export function withTimeout<T>(work: PromiseLike<T>, ms: number, what: string, options?: WithTimeoutOptions): Promise<T>;
export function withTimeout<T>(work: PromiseLike<T>, ms: number, what: string, options: WithTimeoutOptions = {}): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<undefined>((resolve, reject) => {
    timer = setTimeout(() => (options.settle ? resolve(undefined) : reject(new TimeoutError(what, ms))), ms);
    timer.unref?.();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
