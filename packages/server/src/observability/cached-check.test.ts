import { afterEach, describe, expect, it, vi } from 'vitest';
import { cachedCheck } from './cached-check';

describe('cachedCheck', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reuses a success for okTtlMs and a failure for failTtlMs, then asks again', async () => {
    vi.useFakeTimers();
    let calls = 0;
    let up = true;
    const check = cachedCheck(
      async () => {
        calls++;
        if (!up) throw new Error('down');
      },
      { okTtlMs: 10_000, failTtlMs: 2_000 },
    );
    await check();
    await check();
    expect(calls).toBe(1);
    up = false;
    vi.advanceTimersByTime(10_001);
    await expect(check()).rejects.toThrow('down');
    await expect(check()).rejects.toThrow('down');
    expect(calls).toBe(2);
    up = true;
    vi.advanceTimersByTime(2_001);
    await check();
    expect(calls).toBe(3);
  });

  it('shares one attempt between concurrent callers', async () => {
    let calls = 0;
    let release!: () => void;
    const check = cachedCheck(() => {
      calls++;
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    const both = Promise.all([check(), check()]);
    release();
    await both;
    expect(calls).toBe(1);
  });
});
