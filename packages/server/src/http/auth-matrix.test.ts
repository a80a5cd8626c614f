import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { TEST_SECRET, useTestServer } from '../../test/kit/test-server';

type Who = 'none' | 'bad' | 'expired' | 'other' | 'participant';
const WHO: Who[] = ['none', 'bad', 'expired', 'other', 'participant'];

interface RouteCase {
  name: string;
  method: string;
  path: (id: string) => string;
  body?: (ids: { a: string; b: string; id: string }) => unknown;
  form?: (id: string, who: Who) => string;
  expected: Record<Who, number>;
}

const authed = (other: number, participant: number) => ({ none: 401, bad: 401, expired: 401, other, participant });
const open = { none: 200, bad: 200, expired: 200, other: 200, participant: 200 };

const cases: RouteCase[] = [
  { name: 'GET /me', method: 'GET', path: () => '/me', expected: authed(200, 200) },
  { name: 'GET /conversations', method: 'GET', path: () => '/conversations', expected: authed(200, 200) },
  { name: 'GET /users', method: 'GET', path: () => '/users?q=a', expected: authed(200, 200) },
  {
    name: 'POST /conversations',
    method: 'POST',
    path: () => '/conversations',
    body: ({ b }) => ({ participantIds: [b], title: 'new group' }),
    expected: authed(201, 201),
  },
  { name: 'GET /conversations/:id', method: 'GET', path: (id) => `/conversations/${id}`, expected: authed(404, 200) },
  { name: 'GET /conversations/:id/messages', method: 'GET', path: (id) => `/conversations/${id}/messages`, expected: authed(404, 200) },
  {
    name: 'POST /conversations/:id/messages',
    method: 'POST',
    path: (id) => `/conversations/${id}/messages`,
    body: () => ({ clientId: randomUUID(), body: 'hi' }),
    expected: authed(404, 201),
  },
  {
    name: 'POST /conversations/:id/read',
    method: 'POST',
    path: (id) => `/conversations/${id}/read`,
    body: () => ({}),
    expected: authed(404, 200),
  },
  {
    name: 'POST /realtime/auth',
    method: 'POST',
    path: () => '/realtime/auth',
    form: (id) => `socket_id=1.2&channel_name=presence-conversation.${id}`,
    expected: authed(403, 200),
  },
  {
    name: 'POST /realtime/user-auth',
    method: 'POST',
    path: () => '/realtime/user-auth',
    form: () => 'socket_id=1.2',
    expected: authed(200, 200),
  },
  { name: 'GET /config', method: 'GET', path: () => '/config', expected: open },
  { name: 'GET /health', method: 'GET', path: () => '/health', expected: open },
  { name: 'GET /ready', method: 'GET', path: () => '/ready', expected: open },
];

describeEachDatabase('route x caller', (target) => {
  const t = useTestServer(target);
  const tokens = {} as Record<Who, string | undefined>;
  let ids: { a: string; b: string; id: string };

  beforeAll(async () => {
    const [a, b, stranger] = [t().userId('mx-a'), t().userId('mx-b'), t().userId('mx-stranger')];
    const { conversation } = await t().server.api.createConversation({ createdBy: a, participantIds: [b] });
    ids = { a, b, id: conversation.id };
    const key = new TextEncoder().encode(TEST_SECRET);
    tokens.none = undefined;
    tokens.bad = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(a)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('some-other-secret-of-at-least-32-chars'));
    tokens.expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(a)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(key);
    tokens.other = await t().token(stranger);
    tokens.participant = await t().token(a);
  });

  const table = cases.flatMap((c) => WHO.map((who) => ({ ...c, who, status: c.expected[who] })));
  it.each(table)('$name as $who -> $status', async ({ method, path, body, form, who, status }) => {
    const res = await t().call(method, path(ids.id), {
      token: tokens[who],
      ...(body ? { body: body(ids) } : {}),
      ...(form ? { rawBody: form(ids.id, who), headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
    });
    expect(res.status).toBe(status);
    if (status >= 400) {
      expect(res.body.error.code).toBe({ 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' }[status]);
      expect(typeof res.body.error.message).toBe('string');
    }
  });
});
