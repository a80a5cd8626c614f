import { http as route, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API, errorBody, make, rejection } from '../test/http-helpers';
import { createHttp } from './http';

// msw only here: the HTTP layer's contract (errors, retries, token refresh) in isolation.
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const conversation = { id: 'c1', participants: [] };

describe('http layer', () => {
  it('sends the bearer token and parses JSON', async () => {
    let auth: string | null = null;
    server.use(
      route.get(`${API}/me`, ({ request }) => {
        auth = request.headers.get('authorization');
        return HttpResponse.json({ user: { id: 'u1', name: null, avatarUrl: null } });
      }),
    );
    expect((await make().me()).user.id).toBe('u1');
    expect(auth).toBe('Bearer t1');
  });

  it('turns an error body into a BanterError with code, status, message and details', async () => {
    server.use(
      route.get(`${API}/conversations/c404`, () =>
        HttpResponse.json(errorBody('not_found', 'conversation c404 not found', { id: 'c404' }), { status: 404 }),
      ),
    );
    const error = await rejection(make().getConversation('c404'));
    expect(error).toMatchObject({ code: 'not_found', status: 404, details: { id: 'c404' } });
    expect(error.message).toContain('conversation c404 not found');
  });

  it("createUpload: a relative upload path becomes absolute under the API's origin, an S3 URL stays; it is not retried", async () => {
    let calls = 0;
    const answer = (url: string) => ({ upload: { id: 'u1' }, method: 'PUT', url, headers: {}, expiresAt: '' });
    server.use(
      route.post(`${API}/conversations/c1/uploads`, async ({ request }) => {
        calls++;
        const body = (await request.json()) as { name: string };
        if (body.name === 'fail') return HttpResponse.json(errorBody('unavailable', 'down'), { status: 503 });
        return HttpResponse.json(answer(body.name === 's3' ? 'https://bucket.example/k?sig=1' : '/api/files/u1?signature=x'), {
          status: 201,
        });
      }),
    );
    const http = make();
    const local = await http.createUpload!('c1', { name: 'local', type: 'image/png', size: 1 });
    expect(local.url).toBe(`${new URL(API).origin}/api/files/u1?signature=x`);
    expect((await http.createUpload!('c1', { name: 's3', type: 'image/png', size: 1 })).url).toBe('https://bucket.example/k?sig=1');
    calls = 0;
    expect(await rejection(http.createUpload!('c1', { name: 'fail', type: '', size: 1 }))).toMatchObject({
      code: 'unavailable',
      status: 503,
    });
    expect(calls).toBe(1);
  });

  it('maps a foreign error page by its status', async () => {
    let calls = 0;
    server.use(
      route.post(`${API}/conversations`, () => {
        calls++;
        return new HttpResponse('<html>Bad gateway</html>', { status: 503, headers: { 'content-type': 'text/html' } });
      }),
    );
    const error = await rejection(make().createConversation({ participantIds: ['a', 'b'], title: 'team' }));
    expect(error).toMatchObject({ code: 'unavailable', status: 503 });
    // Creating a group is not idempotent: never retried.
    expect(calls).toBe(1);
  });

  it('retries idempotent GETs on 5xx and succeeds', async () => {
    let calls = 0;
    server.use(
      route.get(`${API}/conversations`, () => {
        calls++;
        return calls < 3
          ? HttpResponse.json(errorBody('unavailable', 'busy'), { status: 503 })
          : HttpResponse.json({ conversations: [], nextCursor: null });
      }),
    );
    expect(await make().listConversations({ limit: 5 })).toEqual({ conversations: [], nextCursor: null });
    expect(calls).toBe(3);
  });

  it('gives up after the retry limit', async () => {
    let calls = 0;
    server.use(
      route.get(`${API}/conversations/c1/messages`, () => {
        calls++;
        return HttpResponse.json(errorBody('unavailable', 'busy'), { status: 503 });
      }),
    );
    const error = await rejection(make({ retry: { limit: 1, delay: () => 0 } }).listMessages('c1', { after: 3 }));
    expect(error.code).toBe('unavailable');
    expect(calls).toBe(2);
  });

  it('does not retry a 4xx', async () => {
    let calls = 0;
    server.use(
      route.get(`${API}/conversations/c1`, () => {
        calls++;
        return HttpResponse.json(errorBody('forbidden', 'not a participant'), { status: 403 });
      }),
    );
    expect((await rejection(make().getConversation('c1'))).code).toBe('forbidden');
    expect(calls).toBe(1);
  });

  it('retries a send (idempotent by clientId) with the same body', async () => {
    const bodies: unknown[] = [];
    server.use(
      route.post(`${API}/conversations/c1/messages`, async ({ request }) => {
        bodies.push(await request.json());
        if (bodies.length === 1) return HttpResponse.json(errorBody('unavailable', 'busy'), { status: 502 });
        return HttpResponse.json({ message: { id: 'm1', seq: 1 } }, { status: 201 });
      }),
    );
    const message = await make().sendMessage('c1', { clientId: 'k1', body: 'hi' });
    expect(message).toMatchObject({ id: 'm1', seq: 1 });
    expect(bodies).toEqual([
      { clientId: 'k1', body: 'hi' },
      { clientId: 'k1', body: 'hi' },
    ]);
  });

  it('reports a network failure as code network, status 0, after retrying', async () => {
    let calls = 0;
    server.use(
      route.get(`${API}/me`, () => {
        calls++;
        return HttpResponse.error();
      }),
    );
    const error = await rejection(make().me());
    expect(error).toMatchObject({ code: 'network', status: 0 });
    expect(calls).toBe(3);
  });

  it('refreshes the token once on 401 and repeats the request with it', async () => {
    const seen: (string | null)[] = [];
    let refreshes = 0;
    server.use(
      route.post(`${API}/conversations/c1/read`, ({ request }) => {
        const auth = request.headers.get('authorization');
        seen.push(auth);
        if (auth !== 'Bearer t2') return HttpResponse.json(errorBody('unauthorized', 'token expired'), { status: 401 });
        return HttpResponse.json({ conversationId: 'c1', lastReadSeq: 4, unreadCount: 0 });
      }),
    );
    const api = make({ getToken: async () => (++refreshes, 't2') });
    expect(await api.markRead('c1', 4)).toEqual({ conversationId: 'c1', lastReadSeq: 4, unreadCount: 0 });
    expect(seen).toEqual(['Bearer t1', 'Bearer t2']);
    expect(refreshes).toBe(1);
  });

  it('gives up with unauthorized when the fresh token is refused too', async () => {
    let refreshes = 0;
    server.use(route.get(`${API}/me`, () => HttpResponse.json(errorBody('unauthorized', 'bad token'), { status: 401 })));
    const error = await rejection(make({ getToken: () => `t${++refreshes + 1}` }).me());
    expect(error).toMatchObject({ code: 'unauthorized', status: 401 });
    expect(refreshes).toBe(1);
  });

  it('shares one refresh between concurrent 401s', async () => {
    let refreshes = 0;
    server.use(
      route.get(`${API}/conversations/:id`, ({ request, params }) =>
        request.headers.get('authorization') === 'Bearer fresh'
          ? HttpResponse.json({ conversation: { ...conversation, id: params.id } })
          : HttpResponse.json(errorBody('unauthorized', 'expired'), { status: 401 }),
      ),
    );
    const api = make({
      getToken: async () => {
        refreshes++;
        await new Promise((r) => setTimeout(r, 10));
        return 'fresh';
      },
    });
    const results = await Promise.all(['a', 'b', 'c'].map((id) => api.getConversation(id)));
    expect(results.map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(refreshes).toBe(1);
  });

  it('reports a failing getToken as unauthorized', async () => {
    server.use(route.get(`${API}/me`, () => HttpResponse.json(errorBody('unauthorized', 'expired'), { status: 401 })));
    const failing = () => Promise.reject(new Error('session over'));
    const refreshed = await rejection(make({ getToken: failing }).me());
    expect(refreshed).toMatchObject({ code: 'unauthorized', status: 401 });
    expect(refreshed.message).toContain('session over');
    const initial = await rejection(createHttp({ url: API, getToken: failing }).me());
    expect(initial.code).toBe('unauthorized');
  });

  it('asks getToken first when no token was given', async () => {
    server.use(
      route.get(`${API}/config`, ({ request }) =>
        HttpResponse.json({ key: request.headers.get('authorization'), cluster: 'mt1', wsHost: null }),
      ),
    );
    const api = createHttp({ url: `${API}/`, getToken: () => 'first' });
    expect((await api.config()).key).toBe('Bearer first');
  });

  it('posts channel authorization as a form, like pusher-js would', async () => {
    let form: Record<string, string> = {};
    server.use(
      route.post(`${API}/realtime/auth`, async ({ request }) => {
        expect(request.headers.get('content-type')).toContain('application/x-www-form-urlencoded');
        form = Object.fromEntries(new URLSearchParams(await request.text()));
        return HttpResponse.json({ auth: 'key:sig' });
      }),
    );
    expect(await make().authorizeChannel('1.2', 'private-user.u1')).toEqual({ auth: 'key:sig' });
    expect(form).toEqual({ socket_id: '1.2', channel_name: 'private-user.u1' });
  });

  it('uses the injected fetch', async () => {
    const urls: string[] = [];
    const api = createHttp({
      url: API,
      token: 't',
      fetch: async (input) => {
        urls.push(input instanceof Request ? input.url : String(input));
        return Response.json({ messages: [], hasMore: false });
      },
    });
    await api.listMessages('c 1', { before: 10, limit: 20 });
    expect(urls).toEqual([`${API}/conversations/c%201/messages?before=10&limit=20`]);
  });
});
