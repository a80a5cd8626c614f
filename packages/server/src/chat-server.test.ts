import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createChatServer } from './chat-server';
import { describeEachDatabase } from '../test/kit/describe-each-database';
import { TEST_SECRET, useTestServer } from '../test/kit/test-server';

describe('createChatServer options', () => {
  it('refuses a secret shorter than 32 characters with a clear error', () => {
    expect(() => createChatServer({ secret: 'short', database: { url: 'postgres://unused' }, migrate: false })).toThrow(
      /secret must be a string of at least 32 characters/,
    );
  });

  it('refuses a basePath that does not start with /', () => {
    expect(() =>
      createChatServer({ secret: TEST_SECRET, basePath: 'api', database: { url: 'postgres://unused' }, migrate: false }),
    ).toThrow(/basePath must start with \//);
  });
  it('answers 503 while PostgreSQL is unreachable, and reports it', async () => {
    const onError = vi.fn();
    const server = createChatServer({ secret: TEST_SECRET, database: { url: 'postgres://postgres@127.0.0.1:1/none' }, onError });
    await expect(server.ready).rejects.toThrow();
    const token = await server.api.createUserToken('u1', { expiresIn: 60 });
    for (const path of ['/ready', '/me']) {
      const res = await server.handler(new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${token}` } }));
      expect(res.status, path).toBe(503);
      const body = await res.json();
      expect(body.error.code).toBe('unavailable');
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    }
    expect(onError).toHaveBeenCalled();
    await server.close();
  });
});

describeEachDatabase('chat server', (target) => {
  const t = useTestServer(target, { basePath: '/api/chat', cors: { origins: ['https://app.example'] } });

  it('serves under basePath only', async () => {
    expect((await t().call('GET', '/health')).body).toEqual({ status: 'ok' });
    const res = await t().server.handler(new Request('http://localhost/health'));
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toMatch(/mounted at \/api\/chat/);
  });

  it('answers /config from the broadcaster and /ready when migrated', async () => {
    expect((await t().call('GET', '/config')).body).toEqual({
      key: 'test-key',
      cluster: 'banter',
      wsHost: null,
      wsPort: null,
      wssPort: null,
      forceTLS: false,
      authEndpoint: '/realtime/auth',
      userAuthEndpoint: '/realtime/user-auth',
    });
    expect(await t().call('GET', '/ready')).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('answers CORS preflights for allowed origins only', async () => {
    const preflight = await t().server.handler(
      new Request('http://localhost/api/chat/conversations', {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const stranger = await t().server.handler(
      new Request('http://localhost/api/chat/conversations', { method: 'OPTIONS', headers: { origin: 'https://evil.example' } }),
    );
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    const actual = await t().call('GET', '/health', { headers: { origin: 'https://app.example' } });
    expect(actual.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(actual.headers.get('vary')).toMatch(/origin/i);
    // Errors carry CORS headers too, so the browser can read them.
    const error = await t().call('GET', '/me', { headers: { origin: 'https://app.example' } });
    expect(error.status).toBe(401);
    expect(error.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  it('echoes a sane x-request-id and makes one otherwise', async () => {
    expect((await t().call('GET', '/health', { headers: { 'x-request-id': 'abc-123' } })).headers.get('x-request-id')).toBe('abc-123');
    const made = (await t().call('GET', '/health', { headers: { 'x-request-id': 'bad id with spaces' } })).headers.get('x-request-id');
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps the user row in step with token claims without writing when nothing changed', async () => {
    const id = t().userId('claims');
    const me = async (name?: string) => (await t().call('GET', '/me', { token: await t().token(id, name ? { name } : {}) })).body.user;
    expect(await me('Ann')).toEqual({ id, name: 'Ann', avatarUrl: null });
    const updatedAt = async () =>
      (
        await t().server.db.kysely.selectFrom('users').select('updated_at').where('id', '=', id).executeTakeFirstOrThrow()
      ).updated_at.getTime();
    const first = await updatedAt();
    expect(await me('Ann')).toEqual({ id, name: 'Ann', avatarUrl: null });
    expect(await updatedAt()).toBe(first);
    // A token without a name keeps the stored one; a new name replaces it.
    expect((await me()).name).toBe('Ann');
    expect((await me('Annie')).name).toBe('Annie');
  });

  it('writes conversation.read to the others and conversation.updated to the reader', async () => {
    const [a, b] = [t().userId('ev-a'), t().userId('ev-b')];
    const { conversation } = await t().server.api.createConversation({ createdBy: a, participantIds: [b] });
    await t().server.api.sendMessage({ conversationId: conversation.id, senderId: a, body: 'hi' });
    const res = await t().call('POST', `/conversations/${conversation.id}/read`, {
      token: await t().token(b),
      headers: { 'x-request-id': 'read-1' },
    });
    expect(res.body).toEqual({ conversationId: conversation.id, lastReadSeq: 1, unreadCount: 0 });
    const rows = await t()
      .server.db.kysely.selectFrom('outbox')
      .select(['channel', 'event', 'payload'])
      .where('request_id', '=', 'read-1')
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { channel: `private-user.${a}`, event: 'conversation.read', payload: { conversationId: conversation.id, userId: b, lastReadSeq: 1 } },
      {
        channel: `private-user.${b}`,
        event: 'conversation.updated',
        payload: { conversationId: conversation.id, conversation: expect.objectContaining({ unreadCount: 0, lastReadSeq: 1 }) },
      },
    ]);
    // Reading again moves nothing and writes nothing.
    const again = await t().call('POST', `/conversations/${conversation.id}/read`, {
      token: await t().token(b),
      headers: { 'x-request-id': 'read-2' },
    });
    expect(again.body.lastReadSeq).toBe(1);
    expect(await t().server.db.kysely.selectFrom('outbox').select('id').where('request_id', '=', 'read-2').execute()).toEqual([]);
  });

  it("uses the host's authenticate first, then the bearer token", async () => {
    const hostUser = t().userId('host-user');
    const server = createChatServer({
      database: t().server.db,
      secret: TEST_SECRET,
      migrate: false,
      authenticate: (request) => (request.headers.get('cookie') === 'session=ok' ? { id: hostUser, name: 'Host User' } : null),
    });
    const viaCookie = await server.handler(new Request('http://localhost/me', { headers: { cookie: 'session=ok' } }));
    expect((await viaCookie.json()).user).toEqual({ id: hostUser, name: 'Host User', avatarUrl: null });
    const other = t().userId('token-user');
    const viaToken = await server.handler(
      new Request('http://localhost/me', { headers: { authorization: `Bearer ${await t().token(other)}` } }),
    );
    expect((await viaToken.json()).user.id).toBe(other);
    expect((await server.handler(new Request('http://localhost/me'))).status).toBe(401);
    await server.close();
  });

  it('answers 500 internal without details when something unexpected throws, and reports it', async () => {
    const onError = vi.fn();
    const server = createChatServer({
      database: t().server.db,
      secret: TEST_SECRET,
      migrate: false,
      onError,
      authenticate: () => {
        throw new Error('secret detail: connection string postgres://user:pw@db');
      },
    });
    const res = await server.handler(new Request('http://localhost/me', { headers: { 'x-request-id': 'boom-1' } }));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'internal server error' } });
    expect(text).not.toMatch(/secret detail/);
    expect(onError).toHaveBeenCalledWith(
      expect.objectContaining({ message: expect.stringMatching(/secret detail/) }),
      expect.objectContaining({ requestId: 'boom-1' }),
    );
  });

  it('answers 503 on /config and /realtime/auth without a broadcaster', async () => {
    const server = createChatServer({ database: t().server.db, secret: TEST_SECRET, migrate: false });
    const config = await server.handler(new Request('http://localhost/config'));
    expect(config.status).toBe(503);
    expect((await config.json()).error).toEqual({
      code: 'unavailable',
      message: 'realtime is not configured on this server; pass a broadcaster to createChatServer',
    });
    const auth = await server.handler(
      new Request('http://localhost/realtime/auth', {
        method: 'POST',
        headers: { authorization: `Bearer ${await t().token(t().userId('nb'))}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'socket_id=1.2&channel_name=private-user.nb',
      }),
    );
    expect(auth.status).toBe(503);
  });

  it('answers 503 unavailable on /ready before migrations and on every route once the database is gone', async () => {
    const database = await target.create({ migrate: false });
    const onError = vi.fn();
    const server = createChatServer({ database, secret: TEST_SECRET, migrate: false, onError });
    const notReady = await server.handler(new Request('http://localhost/ready'));
    expect(notReady.status).toBe(503);
    expect((await notReady.json()).error.message).toMatch(/pending migrations: 0001_initial/);
    await database.migrate();
    expect((await server.handler(new Request('http://localhost/ready'))).status).toBe(200);

    const token = await server.api.createUserToken('gone', { expiresIn: 60 });
    await database.close();
    for (const path of ['/me', '/conversations', `/conversations/${randomUUID()}`, '/ready']) {
      const res = await server.handler(new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${token}` } }));
      expect(res.status, path).toBe(503);
      expect((await res.json()).error.code).toBe('unavailable');
    }
    expect(onError).toHaveBeenCalled();
    expect((await server.handler(new Request('http://localhost/health'))).status).toBe(200);
  }, 30_000);
});
