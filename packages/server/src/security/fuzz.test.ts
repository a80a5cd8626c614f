import { randomUUID } from 'node:crypto';
import { ERROR_STATUS } from '@banter/core/protocol';
import fc from 'fast-check';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

/**
 * Property-based fuzzing of the whole HTTP API, in process (handler(request), no sockets): random
 * and mutated requests to every route. Properties: never a 5xx, every error is a closed-set code
 * with its status, a refused request leaves the database exactly as it was, the server stays up.
 * 10,000 requests on the first database target (PGlite), 2,000 on PostgreSQL when set.
 */
const RUNS = [10_000, 2_000];

interface Fixture {
  conversationId: string;
  tokens: string[];
  userIds: string[];
}

const methods = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('GET', 'POST') },
  { weight: 1, arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'get', 'X-CUSTOM') },
);

const garbage = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    '..',
    '%00',
    '%',
    '%zz',
    '%E0%A4%A',
    'null',
    '-1',
    '1e999',
    'NaN',
    '00000000-0000-0000-0000-000000000000',
    ' ',
    '%2F',
    'a'.repeat(300),
  ),
  fc.uuid(),
);

function pathArb(f: Fixture) {
  const id = fc.oneof(
    { weight: 3, arbitrary: fc.constant(f.conversationId) },
    { weight: 1, arbitrary: fc.constant(f.conversationId.toUpperCase()) },
    { weight: 2, arbitrary: garbage },
  );
  const template = fc.oneof(
    fc.constant(() => '/me'),
    fc.constant(() => '/conversations'),
    fc.constant((x: string) => `/conversations/${x}`),
    fc.constant((x: string) => `/conversations/${x}/messages`),
    fc.constant((x: string) => `/conversations/${x}/read`),
    fc.constant(() => '/realtime/auth'),
    fc.constant(() => '/config'),
    fc.constant(() => '/health'),
    fc.constant(() => '/ready'),
    fc.constant((x: string) => `/${x}`),
    fc.constant((x: string) => `/conversations/${x}/messages/${x}`),
    fc.constant((x: string) => `//conversations///${x}`),
  );
  const queryValue = fc.oneof(fc.nat({ max: 200 }).map(String), fc.integer().map(String), garbage);
  const query = fc.dictionary(fc.constantFrom('limit', 'cursor', 'before', 'after', 'seq', 'x', 'limit[]', '__proto__'), queryValue, {
    maxKeys: 3,
  });
  return fc.tuple(template, id, query).map(([make, x, q]) => {
    const path = make(encodeURIComponent(x).replace(/%25/g, (m) => (Math.random() < 0.5 ? '%' : m)));
    const search = new URLSearchParams(q).toString();
    return search ? `${path}?${search}` : path;
  });
}

function authArb(f: Fixture) {
  const valid = fc.constantFrom(...f.tokens);
  // One flipped or dropped character anywhere in a valid token: the signature must catch it.
  const mutated = fc.tuple(valid, fc.nat(), fc.constantFrom('flip', 'drop', 'dup')).map(([token, at, how]) => {
    const i = at % token.length;
    if (how === 'drop') return token.slice(0, i) + token.slice(i + 1);
    if (how === 'dup') return token.slice(0, i) + token[i] + token.slice(i);
    const c = token[i] === 'A' ? 'B' : 'A';
    return token.slice(0, i) + c + token.slice(i + 1);
  });
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 5, arbitrary: valid.map((t) => `Bearer ${t}`) },
    { weight: 2, arbitrary: mutated.map((t) => `Bearer ${t}`) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        garbage,
        garbage.map((g) => `Bearer ${g}`),
        valid.map((t) => `Basic ${t}`),
      ),
    },
  );
}

function bodyArb(f: Fixture) {
  const validSend = fc.record({ clientId: fc.uuid(), body: fc.string({ minLength: 1, maxLength: 50 }) });
  const validCreate = fc.record({
    participantIds: fc.subarray(f.userIds, { minLength: 1 }),
    title: fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: undefined }),
  });
  const validRead = fc.record({ seq: fc.nat({ max: 50 }) }, { requiredKeys: [] });
  // A valid body with one field replaced by anything, or one field added.
  const mutate = (base: fc.Arbitrary<Record<string, unknown>>) =>
    fc
      .tuple(
        base,
        fc.constantFrom('clientId', 'body', 'participantIds', 'title', 'seq', 'extra', '__proto__', 'constructor'),
        fc.jsonValue(),
      )
      .map(([b, k, v]) => JSON.stringify({ ...b, [k]: v }));
  const form = fc
    .record({
      socket_id: fc.oneof(fc.constant('123.456'), garbage),
      channel_name: fc.oneof(
        fc.constantFrom(
          `presence-conversation.${f.conversationId}`,
          ...f.userIds.map((u) => `private-user.${u}`),
          'private-encrypted-x',
          'public',
        ),
        garbage,
      ),
    })
    .map((r) => new URLSearchParams(r).toString());
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: fc.oneof(validSend, validCreate, validRead).map((b) => JSON.stringify(b)) },
    { weight: 3, arbitrary: fc.oneof(mutate(validSend), mutate(validCreate), mutate(validRead)) },
    { weight: 2, arbitrary: form },
    { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 100 }), fc.constantFrom('{', '[', '{"a":', '\u0000', 'x'.repeat(20_000))) },
  );
}

const contentTypes = fc.oneof(
  fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8', 'application/vnd.x+json'),
  fc.constantFrom(undefined, 'text/plain', 'multipart/form-data; boundary=x', 'application/json;;;', '*/*', ''),
);

const otherHeaders = fc.record(
  {
    'x-socket-id': fc.oneof(fc.constant('1.2'), garbage),
    'x-request-id': fc.oneof(fc.constant('req-1'), garbage),
    origin: fc.constantFrom('https://evil.example', 'null'),
    'content-length': fc.constantFrom('0', '-1', '99999999', 'abc'),
  },
  { requiredKeys: [] },
);

describeEachDatabase('fuzz: random and mutated requests to every route', (target) => {
  const t = useTestServer(target, { rateLimits: false });
  let fixture: Fixture;

  beforeAll(async () => {
    const users = ['fz-a', 'fz-b', 'fz-x'].map((u) => t().userId(u));
    const { conversation } = await t().server.api.createConversation({ createdBy: users[0]!, participantIds: [users[1]!] });
    const tokens = await Promise.all(users.map((u) => t().token(u, { name: u })));
    // Every caller's row exists before fuzzing, so a refused request has nothing legitimate to write.
    for (const token of tokens) expect((await t().call('GET', '/me', { token })).status).toBe(200);
    fixture = { conversationId: conversation.id, tokens, userIds: users };
  });

  /** One number per table and per mutable column: a refused request must not move any of them. */
  async function fingerprint(): Promise<string> {
    const { rows } = await sql<Record<string, unknown>>`select
      (select count(*) from users) as users,
      (select count(*) from conversations) as conversations,
      (select coalesce(sum(last_seq), 0) from conversations) as seqs,
      (select count(*) from participants) as participants,
      (select coalesce(sum(last_read_seq * 7 + unread_count), 0) from participants) as cursors,
      (select count(*) from messages) as messages,
      (select count(*) from outbox) as outbox`.execute(t().server.db.kysely);
    return JSON.stringify(rows[0]);
  }

  it('never answers 5xx, answers every error with a closed-set code, and writes nothing when refusing', async () => {
    const runs = RUNS[target.name === 'pglite' ? 0 : 1]!;
    const statuses = new Map<number, number>();
    const random = fc.record({
      method: methods,
      path: pathArb(fixture),
      auth: authArb(fixture),
      body: bodyArb(fixture),
      contentType: contentTypes,
      headers: otherHeaders,
    });
    // Well-formed requests of a participant with one part randomized: they reach the store.
    const id = fixture.conversationId;
    const coherent = fc
      .tuple(
        fc.constantFrom(
          { method: 'POST', path: `/conversations/${id}/messages`, type: 'application/json' },
          { method: 'POST', path: `/conversations/${id}/read`, type: 'application/json' },
          { method: 'POST', path: '/conversations', type: 'application/json' },
          { method: 'POST', path: '/realtime/auth', type: 'application/x-www-form-urlencoded' },
          { method: 'GET', path: `/conversations/${id}/messages`, type: undefined },
        ),
        bodyArb(fixture),
        fc.constantFrom(...fixture.tokens.slice(0, 2)),
        otherHeaders,
      )
      .map(([route, body, token, headers]) => ({
        method: route.method,
        path: route.path,
        auth: `Bearer ${token}`,
        body,
        contentType: route.type,
        headers,
      }));
    const request = fc.oneof({ weight: 3, arbitrary: random }, { weight: 1, arbitrary: coherent });
    // The fingerprint is taken before every request that could write (not a GET) and compared with
    // the one after the last success: a refused request or any GET in between must not have moved it.
    let baseline = await fingerprint();
    let since = 'the start';
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = { ...r.headers };
        if (r.auth !== null) headers.authorization = r.auth;
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        const canHaveBody = r.method !== 'GET' && r.method !== 'HEAD';
        if (canHaveBody) expect(await fingerprint(), `a refused request or a GET since ${since} changed the database`).toBe(baseline);
        let response: Response;
        try {
          response = await t().server.handler(
            new Request(`http://localhost${r.path}`, { method: r.method, headers, body: canHaveBody ? r.body : undefined }),
          );
        } catch (error) {
          // The Request constructor refuses some methods (TRACE) and header values: not the server's business.
          if (error instanceof TypeError) return;
          throw error;
        }
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect(response.status, `${r.method} ${r.path}: ${text}`).toBeLessThan(500);
        if (response.status >= 400) {
          const body = JSON.parse(text);
          expect(ERROR_STATUS[body.error.code as keyof typeof ERROR_STATUS]).toBe(response.status);
        } else if (canHaveBody) {
          baseline = await fingerprint();
          since = `${r.method} ${r.path} (${response.status})`;
        }
      }),
      { numRuns: runs },
    );
    // The fuzzer reached past authentication and validation, not only 401s.
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(statuses.get(201)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
    expect(statuses.get(401)).toBeGreaterThan(0);
    expect(statuses.get(404)).toBeGreaterThan(0);
    expect(await fingerprint(), `a refused request or a GET since ${since} changed the database`).toBe(baseline);
    // Still up and working.
    const sent = await t().call('POST', `/conversations/${fixture.conversationId}/messages`, {
      token: fixture.tokens[0],
      body: { clientId: randomUUID(), body: 'still here' },
    });
    expect(sent.status).toBe(201);
    console.log(`[fuzz ${target.name}] ${runs} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  }, 240_000);
});
