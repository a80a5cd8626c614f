import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { assertSecret, createUserToken, verifyUserToken } from './tokens';

const secret = 'a-secret-of-at-least-thirty-two-characters!';
const key = new TextEncoder().encode(secret);
const now = () => Math.floor(Date.now() / 1000);

describe('user tokens', () => {
  it('round-trips sub, name and avatarUrl', async () => {
    const token = await createUserToken(secret, 'alice', { expiresIn: '5m', name: 'Alice', avatarUrl: 'https://x/a.png' });
    expect(await verifyUserToken(secret, token)).toEqual({ id: 'alice', name: 'Alice', avatarUrl: 'https://x/a.png' });
    const bare = await createUserToken(secret, 'bob', { expiresIn: 60 });
    expect(await verifyUserToken(secret, bare)).toEqual({ id: 'bob', name: undefined, avatarUrl: undefined });
  });

  const refused: Array<[string, () => Promise<string>, RegExp]> = [
    ['alg none', async () => new UnsecuredJWT({}).setSubject('alice').setExpirationTime('5m').encode(), /HS256|well-formed/],
    [
      'another algorithm (HS512)',
      async () => new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).setSubject('alice').setExpirationTime('5m').sign(key),
      /only HS256/,
    ],
    [
      'a bad signature',
      async () => createUserToken('another-secret-of-at-least-32-characters', 'alice', { expiresIn: '5m' }),
      /bad signature/,
    ],
    [
      'an expired token',
      async () =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('alice')
          .setExpirationTime(now() - 10)
          .sign(key),
      /expired/,
    ],
    ['no exp', async () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').sign(key), /exp/],
    ['no sub', async () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(key), /sub/],
    [
      'a sub outside the user id alphabet',
      async () => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('a b').setExpirationTime('5m').sign(key),
      /sub is not a valid user id/,
    ],
    [
      'a non-string name',
      async () => new SignJWT({ name: 5 }).setProtectedHeader({ alg: 'HS256' }).setSubject('a').setExpirationTime('5m').sign(key),
      /name must be a string/,
    ],
    ['malformed text', async () => 'not.a.jwt', /well-formed/],
    ['an empty string', async () => '', /well-formed/],
  ];
  it.each(refused)('refuses %s with 401', async (_, make, message) => {
    const error = await verifyUserToken(secret, await make()).catch((e) => e);
    expect(error).toMatchObject({ code: 'unauthorized', status: 401 });
    expect(error.message).toMatch(message);
  });

  it('refuses short secrets and bad user ids when minting', async () => {
    expect(() => assertSecret('short')).toThrow(/at least 32 characters/);
    await expect(createUserToken(secret, 'has space', { expiresIn: 60 })).rejects.toThrow(/invalid user id/);
    await expect(createUserToken(secret, 'ok', { expiresIn: 60, name: 'n'.repeat(101) })).rejects.toThrow(/name is longer/);
  });
});

describe('user tokens, verified before', () => {
  it('answers a known token from memory but still refuses it once expired', async () => {
    const exp = now() + 2;
    const token = await new SignJWT({ name: 'Cached' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('carol')
      .setExpirationTime(exp)
      .sign(key);
    expect(await verifyUserToken(secret, token)).toEqual({ id: 'carol', name: 'Cached', avatarUrl: undefined });
    // A caller mutating the answer must not change the remembered identity.
    (await verifyUserToken(secret, token)).name = 'changed';
    expect(await verifyUserToken(secret, token)).toEqual({ id: 'carol', name: 'Cached', avatarUrl: undefined });
    // The same token under another secret is checked afresh (and refused).
    await expect(verifyUserToken('another-secret-of-at-least-32-characters', token)).rejects.toMatchObject({ code: 'unauthorized' });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime((exp + 1) * 1000);
      await expect(verifyUserToken(secret, token)).rejects.toThrow(/expired/);
    } finally {
      vi.useRealTimers();
    }
  });
});
