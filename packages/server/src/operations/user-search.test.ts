import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';
import type { SearchUsers } from '../search/wiring';

// Issue 21: GET /users?q= finds people to start a conversation with ("New message").
describeEachDatabase('people search: GET /users', (target) => {
  const t = useTestServer(target, { rateLimits: false });
  let run: string;
  let me: string;
  let token: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    me = t().userId('us-me');
    run = me.slice(me.lastIndexOf('-') + 1);
    token = await t().token(me);
    for (const [key, name] of [
      ['ann', `Annika ${run}x`],
      ['bob', `Bob ${run}x Annikason`],
      ['cy', `${run}x Cyrus`],
      ['pct', `Per%cent ${run}y`],
      ['blocked', `${run}x Blocked by me`],
      ['blocker', `${run}x Blocks me`],
      ['banned', `${run}x Banned`],
    ] as const) {
      ids[key] = t().userId(`us-${key}`);
      await t().server.api.upsertUser({ id: ids[key]!, name, avatarUrl: `https://img.example/${key}.png` });
    }
    await t().server.api.upsertUser({ id: me, name: `${run}x Me myself` });
    await t().server.api.call('blockUser', me, { userId: ids.blocked! });
    await t().server.api.call('blockUser', ids.blocker!, { userId: me });
    await t().server.api.banUser(ids.banned!);
  });

  const search = (query: string, as = token) => t().call('GET', `/users?${query}`, as ? { token: as } : {});
  const found = async (query: string) => {
    const res = await search(query);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.users as Array<{ id: string }>).map((u) => u.id);
  };

  it('finds by the start of a name, of a word in it, or of the id, any case; a name starting with it first', async () => {
    expect(await found(`q=${run}X`)).toEqual([ids.cy, ids.ann, ids.bob]);
    expect(await found(`q=annika%20${run}`)).toEqual([ids.ann]);
    expect(await found(`q=${encodeURIComponent(`${ids.bob}`)}`)).toEqual([ids.bob]);
    expect(await found(`q=${run}x&limit=1`)).toEqual([ids.cy]);
    // LIKE wildcards are literal characters.
    expect(await found(`q=per%25cent%20${run}`)).toEqual([ids.pct]);
    expect(await found(`q=per_cent%20${run}`)).toEqual([]);
  });

  it('answers id, name and avatar only; never the caller, users blocked either way, banned or erased', async () => {
    const res = await search(`q=${run}x`);
    expect(res.body.users[0]).toEqual({ id: ids.cy, name: `${run}x Cyrus`, avatarUrl: 'https://img.example/cy.png' });
    for (const user of res.body.users) expect(Object.keys(user).sort()).toEqual(['avatarUrl', 'id', 'name']);
    const all = await found(`q=${run}`);
    for (const hidden of [me, ids.blocked, ids.blocker, ids.banned]) expect(all).not.toContain(hidden);
    expect(await found('q=banter-deleted')).toEqual([]);
    // The host's chat.api acts for a user: the same rules.
    const viaApi = await t().server.api.call('searchUsers', ids.blocked!, { q: `${run}x` });
    expect(viaApi.users.map((u) => u.id)).not.toContain(me);
  });

  it('refuses callers who are not signed in, and bad queries, with clear 4xx errors', async () => {
    expect((await search(`q=${run}`, '')).status).toBe(401);
    for (const query of ['', 'q=', 'q=%20%20', `q=${'a'.repeat(101)}`, 'q=a&limit=26', 'q=a&limit=0', 'q=a&limit=x', 'q=a&email=1']) {
      const res = await search(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });
});

describeEachDatabase('people search: the host decides', (target) => {
  const calls: Array<{ q: string; limit: number; userId: string }> = [];
  const hostSearch: SearchUsers = async (query) => {
    calls.push(query);
    return [
      { id: 'hs-ann', name: 'Ann', avatarUrl: null, email: 'ann@example.com' } as never,
      { id: 'not a valid id!', name: 'Nope' },
      { id: 'hs-blocked', name: 'Blocked' },
      { id: 'hs-me', name: 'Me' },
      { id: 'hs-ann', name: 'Ann again' },
      { id: 'hs-bob' },
      { id: 'hs-cy', name: 'x'.repeat(101) },
    ];
  };
  const host = useTestServer(target, { rateLimits: false, searchUsers: hostSearch });
  const off = useTestServer(target, { searchUsers: false });
  const limited = useTestServer(target, { rateLimits: { write: { burst: 2, perSecond: 0.001 } } });

  it('a searchUsers function: its answer, with only safe fields, valid ids, and without the caller or whom they blocked', async () => {
    await host().server.api.call('blockUser', 'hs-me', { userId: 'hs-blocked' });
    const res = await host().call('GET', '/users?q=%20an%20&limit=5', { token: await host().token('hs-me') });
    expect(res.status).toBe(200);
    expect(calls.at(-1)).toEqual({ q: 'an', limit: 5, userId: 'hs-me' });
    expect(res.body.users).toEqual([
      { id: 'hs-ann', name: 'Ann', avatarUrl: null },
      { id: 'hs-bob', name: null, avatarUrl: null },
    ]);
    const cut = await host().call('GET', '/users?q=an&limit=1', { token: await host().token('hs-me') });
    expect(cut.body.users).toEqual([{ id: 'hs-ann', name: 'Ann', avatarUrl: null }]);
  });

  it('searchUsers: false turns the route off (404), and createChatServer refuses anything but a function or false', async () => {
    const res = await off().call('GET', '/users?q=an', { token: await off().token('off-me') });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(res.body.error.message).toMatch(/searchUsers: false/);
    const { createChatServer } = await import('../chat-server');
    expect(() => createChatServer({ secret: 's'.repeat(32), searchUsers: 'yes' as never, migrate: false })).toThrow(/searchUsers must be/);
  });

  it('is rate limited per user (429 with Retry-After)', async () => {
    const token = await limited().token('rl-me');
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await limited().call('GET', '/users?q=zz', { token }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
    expect(answers[2]!.body.error.code).toBe('rate_limited');
    expect(Number(answers[2]!.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
