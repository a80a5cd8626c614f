import { describe, expect, it } from 'vitest';
import { TimeoutError, withTimeout } from './with-timeout';

describe('withTimeout', () => {
  it('passes the value or the error of work that finishes in time', async () => {
    await expect(withTimeout(Promise.resolve(7), 1000, 'x')).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('boom')), 1000, 'x')).rejects.toThrow('boom');
  });

  it('rejects with a TimeoutError naming what and how long', async () => {
    const error = await withTimeout(new Promise(() => {}), 20, 'broadcaster call').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 20, message: 'broadcaster call did not finish within 20 ms' });
  });

  it('with settle, resolves undefined at the deadline instead', async () => {
    await expect(withTimeout(new Promise(() => {}), 20, 'grace', { settle: true })).resolves.toBeUndefined();
  });
});
