/**
 * Polls `check` every 10 ms until it returns something truthy, and returns that; rejects after
 * `ms`. Every wait in the tests is bounded: a missing event fails the test instead of hanging it.
 * (The one polling wait of the repository's tests: server, core and react use this file.)
 *
 * @example
 * await until('the row to be delivered', async () => (await row()).delivered_at !== null);
 * const message = await until('bob to see it', () => bob.messages().find((m) => m.body === 'hi'));
 */
export async function until<T>(
  what: string,
  check: () => T | Promise<T>,
  ms = 15_000,
): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, false | null | undefined | 0 | ''>;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
