import { describe, expect, it } from 'vitest';
import { CLIENT_ADDRESS, clientIp, createBucketLimiter } from './rate-limit';
import { createRateLimitGuard } from './rate-limit-guard';

describe('token bucket', () => {
  it('allows the burst, then one per 1/perSecond, and says how long to wait', () => {
    let t = 0;
    const limiter = createBucketLimiter({ burst: 3, perSecond: 2 }, { now: () => t });
    expect([1, 2, 3].map(() => limiter.take('a').ok)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterMs: 500 });
    t = 250;
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterMs: 250 });
    t = 500;
    expect(limiter.take('a').ok).toBe(true);
    // Another key has its own bucket.
    expect(limiter.take('b').ok).toBe(true);
    // Refill stops at the burst.
    t = 60_000;
    expect([1, 2, 3, 4].map(() => limiter.take('a').ok)).toEqual([true, true, true, false]);
  });

  it('keeps at most maxKeys buckets, dropping the least recently used', () => {
    const limiter = createBucketLimiter({ burst: 1, perSecond: 0.001 }, { maxKeys: 2, now: () => 0 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('a'); // a is now the most recent
    limiter.take('c'); // evicts b
    expect(limiter.size()).toBe(2);
    expect(limiter.take('a').ok).toBe(false);
    expect(limiter.take('b').ok).toBe(true); // a fresh bucket
  });

  it('refuses nonsense limits', () => {
    expect(() => createBucketLimiter({ burst: 0, perSecond: 1 })).toThrow(TypeError);
    expect(() => createBucketLimiter({ burst: 1, perSecond: 0 })).toThrow(TypeError);
  });
});

describe('client IP', () => {
  const req = (headers: Record<string, string> = {}, address?: string) => {
    const request = new Request('http://x/', { headers });
    if (address) Object.defineProperty(request, CLIENT_ADDRESS, { value: address });
    return request;
  };

  it('ignores X-Forwarded-For unless trustProxy is set (anyone can send the header)', () => {
    expect(clientIp(req({ 'x-forwarded-for': '1.2.3.4' }), {})).toBeNull();
    expect(clientIp(req({ 'x-forwarded-for': '1.2.3.4' }, '10.0.0.9'), {})).toBe('10.0.0.9');
  });

  it('takes the entry trustProxy hops from the right, so a forged left part does not count', () => {
    const headers = { 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.0.0.1' };
    expect(clientIp(req(headers), { trustProxy: true })).toBe('10.0.0.1');
    expect(clientIp(req(headers), { trustProxy: 2 })).toBe('203.0.113.7');
    expect(clientIp(req({ 'x-forwarded-for': 'not-an-ip' }, '::ffff:10.1.1.1'), { trustProxy: 1 })).toBeNull();
    expect(clientIp(req({}, '::ffff:10.1.1.1'), { trustProxy: 1 })).toBe('10.1.1.1');
  });

  it("prefers the host's getClientIp and refuses what is not an IP", () => {
    expect(clientIp(req({}, '10.0.0.9'), { getClientIp: () => '2001:db8::1' })).toBe('2001:db8::1');
    expect(clientIp(req(), { getClientIp: () => 'garbage' })).toBeNull();
  });
});

describe('rate limit guard', () => {
  const from = (ip: string) => new Request('http://x/', { headers: { 'x-forwarded-for': ip } });

  it('answers 429 rate_limited with Retry-After once a user is over the send limit', () => {
    const guard = createRateLimitGuard({ send: { burst: 2, perSecond: 0.5 } }, {}, () => 0);
    guard.send('alice');
    guard.send('alice');
    guard.send('bob');
    try {
      guard.send('alice');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'rate_limited', status: 429, headers: { 'retry-after': '2' } });
    }
  });

  it('limits per IP, and not at all when the IP is unknown or loopback (a shared bucket would throttle everyone)', () => {
    const guard = createRateLimitGuard({ anonymous: { burst: 1, perSecond: 0.01 } }, { trustProxy: 1 }, () => 0);
    guard.anonymous(from('203.0.113.7'));
    expect(() => guard.anonymous(from('203.0.113.7'))).toThrow(/too many/);
    guard.anonymous(from('203.0.113.8'));
    for (let i = 0; i < 5; i++) {
      guard.anonymous(new Request('http://x/'));
      guard.anonymous(from('127.0.0.1'));
      guard.anonymous(from('::1'));
    }
  });

  it('does nothing with rateLimits: false', () => {
    const guard = createRateLimitGuard(false);
    for (let i = 0; i < 100; i++) guard.send('alice');
  });
});
