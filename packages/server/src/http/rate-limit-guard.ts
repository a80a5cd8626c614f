import type { RateLimitClass } from '../operations/types';
import { type BucketLimit, type ClientIpOptions, clientIp, createBucketLimiter, rateLimited } from './rate-limit';

type UserClass = Exclude<RateLimitClass, 'anonymous'>;

/**
 * Rate limits of the chat API: every write operation takes from its class's bucket per user and
 * per client IP; requests without valid credentials from a per-IP bucket. In memory, per server
 * instance: behind a load balancer with N instances a caller gets up to N times the budget
 * (docs/security.md). Each limit: a token bucket, or `false` for none.
 */
export interface RateLimitOptions {
  /** Message sends per user. Default `{ burst: 20, perSecond: 5 }`: generous for people, tight for scripts. */
  send?: BucketLimit | false;
  /** Conversations created per user (each may write 100 participants and events). Default `{ burst: 30, perSecond: 0.5 }`. */
  create?: BucketLimit | false;
  /** Other writes per user: mark read, channel authorization. Default `{ burst: 120, perSecond: 10 }`. */
  write?: BucketLimit | false;
  /**
   * The same classes per client IP, over all users behind it (an office NAT shares one), so a
   * script with many tokens is limited too. Defaults: send `{ burst: 200, perSecond: 50 }`,
   * create `{ burst: 100, perSecond: 5 }`, write `{ burst: 600, perSecond: 60 }`.
   */
  perIp?: Partial<Record<UserClass, BucketLimit | false>>;
  /**
   * Requests that carry no valid credentials, per client IP: failed sign-ins (no, malformed,
   * expired or forged token), `GET /config`. Default `{ burst: 60, perSecond: 1 }`.
   */
  anonymous?: BucketLimit | false;
  /** Most buckets kept per limit (least recently used ones go first). Default 10,000. */
  maxKeys?: number;
}

export const DEFAULT_RATE_LIMITS = {
  send: { burst: 20, perSecond: 5 },
  create: { burst: 30, perSecond: 0.5 },
  write: { burst: 120, perSecond: 10 },
  perIp: {
    send: { burst: 200, perSecond: 50 },
    create: { burst: 100, perSecond: 5 },
    write: { burst: 600, perSecond: 60 },
  },
  anonymous: { burst: 60, perSecond: 1 },
  maxKeys: 10_000,
} as const;

/** The checks the HTTP transport makes; each throws a 429 ApiError (with Retry-After) when over. */
export interface RateLimitGuard {
  /** A request without valid credentials (failed sign-in, a public operation), by its client IP. */
  anonymous(request: Request): void;
  /** One run of an operation of `limit`'s class by this user, from this request's client IP. */
  take(limit: RateLimitClass, userId: string, request?: Request): void;
  /** A message send by this user (the same as `take('send', userId)`). */
  send(userId: string): void;
  /** Buckets held now, over all limits (bounded by `maxKeys` per limit). */
  size(): number;
}

const WHAT: Record<UserClass, string> = { send: 'messages', create: 'new conversations', write: 'requests' };

/**
 * Build the guard from `createChatServer`'s `rateLimits` (false: none at all) and client IP options.
 *
 * @example
 * ```ts
 * const guard = createRateLimitGuard({ send: { burst: 5, perSecond: 1 } }, { trustProxy: 1 });
 * guard.take('send', 'alice', request); // throws ApiError rate_limited on the 6th call within a second
 * ```
 */
export function createRateLimitGuard(
  options: RateLimitOptions | false | undefined,
  ipOptions: ClientIpOptions = {},
  now?: () => number,
): RateLimitGuard {
  if (options === false) return { anonymous() {}, take() {}, send() {}, size: () => 0 };
  const maxKeys = options?.maxKeys ?? DEFAULT_RATE_LIMITS.maxKeys;
  const limiter = (limit: BucketLimit | false | undefined, fallback: BucketLimit) => {
    const chosen = limit === undefined ? fallback : limit;
    return chosen ? createBucketLimiter(chosen, { maxKeys, now }) : null;
  };
  const perUser = {
    send: limiter(options?.send, DEFAULT_RATE_LIMITS.send),
    create: limiter(options?.create, DEFAULT_RATE_LIMITS.create),
    write: limiter(options?.write, DEFAULT_RATE_LIMITS.write),
  };
  const perIp = {
    send: limiter(options?.perIp?.send, DEFAULT_RATE_LIMITS.perIp.send),
    create: limiter(options?.perIp?.create, DEFAULT_RATE_LIMITS.perIp.create),
    write: limiter(options?.perIp?.write, DEFAULT_RATE_LIMITS.perIp.write),
  };
  const anonymous = limiter(options?.anonymous, DEFAULT_RATE_LIMITS.anonymous);
  // Unknown or local caller (the host's own backend, a local proxy without trustProxy, tests): one
  // shared bucket would throttle everyone together, so none.
  const remoteIp = (request: Request | undefined) => {
    const ip = request ? clientIp(request, ipOptions) : null;
    return ip && !isLoopback(ip) ? ip : null;
  };
  const guard: RateLimitGuard = {
    anonymous(request) {
      const ip = remoteIp(request);
      if (!anonymous || !ip) return;
      const result = anonymous.take(ip);
      if (!result.ok) throw rateLimited('requests without valid credentials from this address', result.retryAfterMs);
    },
    take(limit, userId, request) {
      if (limit === 'anonymous') {
        if (request) guard.anonymous(request);
        return;
      }
      const user = perUser[limit]?.take(userId);
      if (user && !user.ok) throw rateLimited(WHAT[limit], user.retryAfterMs);
      const ip = remoteIp(request);
      const address = ip ? perIp[limit]?.take(ip) : undefined;
      if (address && !address.ok) throw rateLimited(`${WHAT[limit]} from this address`, address.retryAfterMs);
    },
    send: (userId) => guard.take('send', userId),
    size: () => [...Object.values(perUser), ...Object.values(perIp), anonymous].reduce((sum, bucket) => sum + (bucket?.size() ?? 0), 0),
  };
  return guard;
}

/** Loopback callers are not limited per IP. */
function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.');
}
