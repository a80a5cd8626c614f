import { SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { TEST_SECRET, useTestServer } from '../../test/kit/test-server';
import { CALLERS, type Caller, expected, type Ids, routes } from '../../test/kit/authorization-routes';

/**
 * Every route x every kind of caller, forged credentials included. Extends http/auth-matrix.test.ts
 * (which covers no / expired / wrong-secret tokens) with the forgeries an attacker would try, and
 * checks that a refused request wrote nothing.
 */
describeEachDatabase('authorization matrix: every route x every caller', (target) => {
  // Per-IP limits would turn the many refusals into 429s: this test is about authorization only.
  const t = useTestServer(target, { rateLimits: false });
  let ids: Ids;
  const auth = {} as Record<Caller, { header?: string; query?: string }>;

  beforeAll(async () => {
    ids = {
      a: t().userId('am-a'),
      b: t().userId('am-b'),
      stranger: t().userId('am-x'),
      id: '',
      messageId: '',
      group: '',
      newcomer: t().userId('am-n'),
    };
    ids.group = (await t().server.api.createConversation({ createdBy: ids.a, participantIds: [ids.b], title: 'g' })).conversation.id;
    ids.id = (await t().server.api.createConversation({ createdBy: ids.a, participantIds: [ids.b] })).conversation.id;
    ids.messageId = (await t().server.api.call('sendMessage', ids.a, { conversationId: ids.id, body: 'to edit' })).message.id;
    const key = new TextEncoder().encode(TEST_SECRET);
    const now = Math.floor(Date.now() / 1000);
    const bearer = (token: string) => ({ header: `Bearer ${token}` });
    const good = await t().token(ids.a);
    auth['no token'] = {};
    auth['malformed header'] = { header: `Token ${good}` };
    auth['malformed token'] = bearer('eyJhbGciOiJIUzI1NiJ9.garbage.garbage');
    auth.expired = bearer(
      await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(ids.a)
        .setExpirationTime(now - 60)
        .sign(key),
    );
    auth['other secret'] = bearer(
      await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(ids.a)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode('x'.repeat(40))),
    );
    auth['alg none'] = bearer(new UnsecuredJWT({}).setSubject(ids.a).setExpirationTime('5m').encode());
    auth['HS512 same secret'] = bearer(
      await new SignJWT({}).setProtectedHeader({ alg: 'HS512' }).setSubject(ids.a).setExpirationTime('5m').sign(key),
    );
    auth['no exp'] = bearer(await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(ids.a).sign(key));
    auth['bad sub'] = bearer(
      await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('has space').setExpirationTime('5m').sign(key),
    );
    auth['token in query'] = { query: `access_token=${good}&token=${good}` };
    auth['another user'] = bearer(await t().token(ids.b)); // b: a participant of the conversation, but not a
    auth['non-participant'] = bearer(await t().token(ids.stranger));
    auth.participant = bearer(good);
  });

  const table = routes.flatMap((route) => CALLERS.map((caller) => ({ ...route, caller, status: expected(route, caller) })));

  it.each(table)('$route as $caller -> $status', async (row) => {
    const { caller, status } = row;
    const { header, query } = auth[caller];
    const path = row.path(ids) + (query ? `${row.path(ids).includes('?') ? '&' : '?'}${query}` : '');
    const before = status >= 400 ? await t().counts() : null;
    const res = await t().call(row.method, path, {
      headers: {
        ...(header ? { authorization: header } : {}),
        ...(row.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(row.body ? { body: row.body(ids) } : {}),
      ...(row.form ? { rawBody: row.form(ids, caller) } : {}),
    });
    // A bad query parameter is a 400 on list routes; a token there must never authenticate anyone.
    if (caller === 'token in query' && row.open === undefined) expect([400, 401]).toContain(res.status);
    else expect(res.status).toBe(status);
    if (res.status >= 400) {
      expect(res.body.error.code).toBe(
        { 400: 'validation_failed', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 422: 'unprocessable' }[res.status as 400],
      );
      // A refusal reveals nothing: no user, conversation or message data in the body.
      expect(JSON.stringify(res.body)).not.toContain('"participants"');
      expect(await t().counts()).toEqual(before ?? (await t().counts()));
    }
  });
});
