/**
 * Run the sweep of uploads never attached now and then (first after a minute, then hourly), on
 * every instance: each run takes its rows with one DELETE, so instances never remove a file twice.
 * The timer does not keep the process alive.
 *
 * @example
 * ```ts
 * const sweep = startUploadSweep(() => uploads.sweep(), (error) => logger.error(error));
 * sweep.stop();
 * ```
 */
export function startUploadSweep(
  run: () => Promise<number>,
  onError: (error: unknown) => void,
  options: { firstMs?: number; everyMs?: number } = {},
): { stop(): void } {
  let timer: NodeJS.Timeout;
  let stopped = false;
  const schedule = (ms: number) => {
    timer = setTimeout(async () => {
      try {
        // A full batch may mean more are due: go again soon.
        const removed = await run();
        if (!stopped) schedule(removed >= 500 ? 1000 : (options.everyMs ?? 60 * 60 * 1000));
      } catch (error) {
        onError(error);
        if (!stopped) schedule(options.everyMs ?? 60 * 60 * 1000);
      }
    }, ms);
    timer.unref();
  };
  schedule(options.firstMs ?? 60 * 1000);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
