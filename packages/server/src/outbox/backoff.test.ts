import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const options = { baseMs: 500, capMs: 8000 };

  it('doubles with each attempt up to the cap', () => {
    const top = (attempts: number) => backoffDelay(attempts, options, () => 1);
    expect([1, 2, 3, 4, 5, 6, 50].map(top)).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('takes a random half off (equal jitter)', () => {
    expect(backoffDelay(3, options, () => 0)).toBe(1000);
    expect(backoffDelay(3, options, () => 0.5)).toBe(1500);
  });

  it('treats zero or negative attempts as the first', () => {
    expect(backoffDelay(0, options, () => 1)).toBe(500);
  });
});
