import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/errors';
import { createUrlSigner } from './signed-url';

const SECRET = 'a-test-secret-of-at-least-32-characters!!';
const params = (url: string) => new URL(url, 'http://x').searchParams;

describe('createUrlSigner', () => {
  it('signs a path for one method until it expires', () => {
    let now = 1_700_000_000_000;
    const signer = createUrlSigner(SECRET, () => now);
    const url = signer.sign('GET', '/files/u1/original', 300);
    expect(url).toMatch(/^\/files\/u1\/original\?expires=1700000300&signature=[\w-]{43}$/);
    signer.verify('GET', '/files/u1/original', params(url));
    now += 299_000;
    signer.verify('GET', '/files/u1/original', params(url));
    now += 1000;
    expect(() => signer.verify('GET', '/files/u1/original', params(url))).toThrow(/expired/);
  });

  it('refuses another path, method, expiry, secret, or no signature at all, with a 403', () => {
    const signer = createUrlSigner(SECRET);
    const url = signer.sign('GET', '/files/u1/original', 300);
    const cases: Array<() => void> = [
      () => signer.verify('GET', '/files/u2/original', params(url)),
      () => signer.verify('PUT', '/files/u1/original', params(url)),
      () => signer.verify('GET', '/files/u1/original', params(url.replace(/expires=\d+/, (m) => `${m}9`))),
      () => createUrlSigner(`${SECRET}?`).verify('GET', '/files/u1/original', params(url)),
      () => signer.verify('GET', '/files/u1/original', new URLSearchParams()),
      () => signer.verify('GET', '/files/u1/original', params(url.replace(/signature=.*/, 'signature=AAAA'))),
    ];
    for (const attempt of cases) {
      try {
        attempt();
        expect.unreachable('verify accepted a bad link');
      } catch (error) {
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).status).toBe(403);
      }
    }
  });
});
