/**
 * A health check whose answer is reused for a while, so a readiness probe every second does not
 * become a request to Pusher every second. Concurrent callers share one attempt.
 *
 * @example
 * const broadcasterUp = cachedCheck(() => broadcaster.ping!());
 * await broadcasterUp(); // throws what the last attempt threw
 */
export function cachedCheck(check: () => Promise<void>, options: { okTtlMs?: number; failTtlMs?: number } = {}): () => Promise<void> {
  const okTtlMs = options.okTtlMs ?? 10_000;
  // Failures are retried sooner: a recovered service should turn ready quickly.
  const failTtlMs = options.failTtlMs ?? 2_000;
  let last: { at: number; ok: boolean; result: Promise<void> } | null = null;
  return () => {
    const now = Date.now();
    if (last && now - last.at < (last.ok ? okTtlMs : failTtlMs)) return last.result;
    const entry: { at: number; ok: boolean; result: Promise<void> } = { at: now, ok: true, result: Promise.resolve() };
    entry.result = check().catch((error: unknown) => {
      entry.ok = false;
      entry.at = Date.now();
      throw error;
    });
    // A pending attempt counts as fresh: callers wait for it instead of starting another.
    entry.result.then(
      () => {
        entry.at = Date.now();
      },
      () => {},
    );
    last = entry;
    return entry.result;
  };
}
