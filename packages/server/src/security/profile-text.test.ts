import { SignJWT } from 'jose';
import { expect, it } from 'vitest';
import { createUserToken } from '../auth/tokens';
import { createChatServer } from '../chat-server';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { TEST_SECRET, useTestServer } from '../../test/kit/test-server';

// Issue 22 finding 2: a display name with a NUL byte (or a lone surrogate) locked the user out with a
// 500 on every authenticated route, and createUserToken / api.upsertUser accepted it.
const BAD_TEXT = [
  { what: 'a NUL byte', name: 'Ann\u0000Lee', clean: 'AnnLee' },
  { what: 'an escape sequence', name: '\u001b[31mAnn', clean: '[31mAnn' },
  { what: 'a C1 control', name: 'Ann\u0085', clean: 'Ann' },
  { what: 'a lone high surrogate', name: 'Ann\ud800', clean: 'Ann' },
  { what: 'a lone low surrogate', name: '\udc00Ann', clean: 'Ann' },
];

/** A token minted elsewhere (the host's own JWT library), so Banter's createUserToken checks nothing. */
function foreignToken(sub: string, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(TEST_SECRET));
}

describeEachDatabase('names and avatar URLs with control characters', (target) => {
  const t = useTestServer(target, { rateLimits: false });

  it.each(BAD_TEXT)('token claims with $what: the name is stored cleaned, never a 500', async ({ name, clean }) => {
    const id = t().userId(`claims-${clean.length}-${name.charCodeAt(name.length - 1)}`);
    const token = await foreignToken(id, { name, avatarUrl: `https://img.example/${name}.png` });
    const me = await t().call('GET', '/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.user.name).toBe(clean);
    expect(me.body.user.avatarUrl).toBe(`https://img.example/${clean}.png`);
    expect((await t().call('GET', '/conversations', { token })).status).toBe(200);
  });

  it.each(BAD_TEXT)('api.upsertUser refuses a name with $what: 400 validation_failed, nothing stored', async ({ name }) => {
    const id = t().userId('upsert-bad');
    const refused = await t()
      .server.api.upsertUser({ id, name })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: 'validation_failed',
      status: 400,
      message: expect.stringMatching(/^invalid input; name: may not contain/),
    });
    expect(await t().server.db.kysely.selectFrom('users').select('id').where('id', '=', id).execute()).toEqual([]);
    await expect(t().server.api.upsertUser({ id, avatarUrl: `https://x/${name}` })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it.each(BAD_TEXT)('createUserToken refuses a name with $what', async ({ name }) => {
    await expect(createUserToken(TEST_SECRET, 'ok', { expiresIn: 60, name })).rejects.toThrow(/name may not contain/);
    await expect(t().server.api.createUserToken('ok', { expiresIn: 60, name })).rejects.toThrow(/name may not contain/);
  });

  it("the host's authenticate returning such a name (or one too long) is cleaned and cut, never a 500", async () => {
    const id = t().userId('host-nul');
    const server = createChatServer({
      database: t().server.db,
      secret: TEST_SECRET,
      migrate: false,
      rateLimits: false,
      authenticate: () => ({ id, name: `Ann\u0000${'n'.repeat(200)}`, avatarUrl: `https://x/${'a'.repeat(3000)}` }),
    });
    const me = await server.handler(new Request('http://localhost/me'));
    expect(me.status).toBe(200);
    const { user } = await me.json();
    expect(user).toEqual({ id, name: `Ann${'n'.repeat(97)}`, avatarUrl: null });
    await server.close();
  });

  it('keeps names that are only unusual: emoji (surrogate pairs), accents, right-to-left text', async () => {
    for (const name of ['Zoë 🎉', 'محمد', '李小龍', '👩‍👩‍👧']) {
      const id = t().userId(`fine-${name.length}`);
      expect((await t().server.api.upsertUser({ id, name })).name).toBe(name);
      const me = await t().call('GET', '/me', { token: await t().token(id, { name }) });
      expect(me.body.user.name).toBe(name);
    }
  });
});
