import { isIP } from 'node:net';
import { ApiError } from '../errors/api-error';

/** A token bucket: `burst` requests at once, refilled at `perSecond`. */
export interface BucketLimit {
  burst: number;
  perSecond: number;
}

/** Most buckets kept per limit unless `maxKeys` says otherwise. */
const DEFAULT_MAX_KEYS = 10_000;

/** What a refused take reports: how long until one token is back. */
export interface TakeResult {
  ok: boolean;
  retryAfterMs: number;
}

/**
 * Token buckets by key, bounded in memory: a map in least-recently-used order, the oldest key
 * dropped when full (a dropped bucket restarts full, which only ever errs on the generous side).
 *
 * @example
 * ```ts
 * const sends = createBucketLimiter({ burst: 20, perSecond: 5 });
 * if (!sends.take('alice').ok) throw new ApiError('rate_limited', 'slow down');
 * ```
 */
export function createBucketLimiter(limit: BucketLimit, options: { maxKeys?: number; now?: () => number } = {}) {
  if (!(limit.burst >= 1) || !(limit.perSecond > 0)) {
    throw new TypeError('banter: a rate limit needs burst >= 1 and perSecond > 0');
  }
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  const now = options.now ?? Date.now;
  const buckets = new Map<string, { tokens: number; at: number }>();

  return {
    take(key: string): TakeResult {
      const t = now();
      const bucket = buckets.get(key);
      let tokens = limit.burst;
      if (bucket) {
        tokens = Math.min(limit.burst, bucket.tokens + ((t - bucket.at) / 1000) * limit.perSecond);
        buckets.delete(key); // re-inserted below: the map stays in LRU order
      } else if (buckets.size >= maxKeys) {
        buckets.delete(buckets.keys().next().value!);
      }
      if (tokens >= 1) {
        buckets.set(key, { tokens: tokens - 1, at: t });
        return { ok: true, retryAfterMs: 0 };
      }
      buckets.set(key, { tokens, at: t });
      return { ok: false, retryAfterMs: Math.ceil(((1 - tokens) / limit.perSecond) * 1000) };
    },
    /** Keys held now (for tests and metrics). */
    size: () => buckets.size,
  };
}

/** The 429 answer: `rate_limited` with Retry-After in whole seconds (at least 1). */
export function rateLimited(what: string, retryAfterMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ApiError('rate_limited', `too many ${what}; retry in ${seconds} s`, {
    details: { retryAfter: seconds },
    headers: { 'retry-after': String(seconds) },
  });
}

/**
 * Where the node adapter (`toNodeHandler`, `fastifyBanter`) puts the TCP peer address on the
 * Request it builds. A symbol, not a header: a header could be sent by anyone.
 */
export const CLIENT_ADDRESS = Symbol.for('banter.clientAddress');

export interface ClientIpOptions {
  getClientIp?: (request: Request) => string | null | undefined;
  /**
   * Behind reverse proxies that append to `X-Forwarded-For`: how many (true = 1). The client IP
   * is then the entry that many hops from the right; never trust the header without this.
   */
  trustProxy?: boolean | number;
}

/**
 * The caller's IP: the host's `getClientIp`, else X-Forwarded-For when `trustProxy` says so,
 * else the socket address the node adapter recorded; null when none is known.
 *
 * @example
 * ```ts
 * clientIp(request, { trustProxy: 1 }); // '203.0.113.7' from 'x-forwarded-for: 10.0.0.1, 203.0.113.7'
 * ```
 */
export function clientIp(request: Request, options: ClientIpOptions): string | null {
  if (options.getClientIp) return normalizeIp(options.getClientIp(request) ?? null);
  const hops = options.trustProxy === true ? 1 : typeof options.trustProxy === 'number' ? options.trustProxy : 0;
  if (hops > 0) {
    const forwarded = (request.headers.get('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const entry = forwarded[forwarded.length - hops];
    if (entry) return normalizeIp(entry);
  }
  const address = (request as unknown as Record<symbol, unknown>)[CLIENT_ADDRESS];
  return typeof address === 'string' ? normalizeIp(address) : null;
}

export function normalizeIp(ip: string | null): string | null {
  if (!ip) return null;
  const plain = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  return isIP(plain) ? plain : null;
}
