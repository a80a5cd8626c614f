import { http as route, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BanterError } from './errors';
import { createHttp, retryAfter, type HttpOptions } from './http';

// msw only here: the HTTP layer's contract (errors, retries, token refresh) in isolation.
const API = 'https://api.test/api';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const make = (options: Partial<HttpOptions> = {}) =>
  createHttp({ url: API, token: 't1', retry: { delay: () => 0 }, ...options });

const conversation = { id: 'c1', participants: [] };
const errorBody = (code: string, message: string, details?: unknown) => ({ error: { code, message, details } });

async function rejection(promise: Promise<unknown>): Promise<BanterError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(BanterError);
    return error as BanterError;
  }
  throw new Error('expected a rejection');
}

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
        return calls < 3 ? HttpResponse.json(errorBody('unavailable', 'busy'), { status: 503 }) : HttpResponse.json({ conversations: [], nextCursor: null });
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

describe('http layer without ky: timeouts, Retry-After, abort, jitter', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  /** An injected fetch answering from a list (the last answer repeats), counting the calls. */
  function answers(...list: (() => Response)[]) {
    const calls: RequestInit[] = [];
    const fetch = async (_input: RequestInfo | URL, init?: RequestInit) => {
      calls.push(init!);
      return list[Math.min(calls.length, list.length) - 1]!();
    };
    return { calls, fetch: fetch as typeof globalThis.fetch };
  }
  /** A fetch that never answers, rejecting only when its signal aborts, as the real one does. */
  function hanging() {
    let calls = 0;
    const fetch = (_input: RequestInfo | URL, init?: RequestInit) => {
      calls++;
      return new Promise<Response>((_resolve, reject) => {
        init!.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    };
    return { calls: () => calls, fetch: fetch as typeof globalThis.fetch };
  }
  const busy = (status: number, headers: Record<string, string> = {}) => () =>
    Response.json(errorBody(status === 429 ? 'rate_limited' : 'unavailable', 'busy'), { status, headers });
  const ok = () => Response.json({ user: { id: 'u1', name: null, avatarUrl: null } });

  it('gives up on an attempt after the timeout, as network with reason timeout, without retrying', async () => {
    const { calls, fetch } = hanging();
    const error = await rejection(make({ fetch, timeout: 20 }).me());
    expect(error).toMatchObject({ code: 'network', status: 0, details: { reason: 'timeout' } });
    expect(error.message).toContain('no answer within 20 ms');
    expect(calls()).toBe(1);
  });

  it('waits the Retry-After seconds of a 429 before retrying, instead of its own delay', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { calls, fetch } = answers(busy(429, { 'retry-after': '2' }), ok);
    const me = make({ fetch }).me();
    await vi.advanceTimersByTimeAsync(1999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    expect((await me).user.id).toBe('u1');
  });

  it('reads a Retry-After HTTP date on a 503', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const { calls, fetch } = answers(busy(503, { 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), ok);
    const me = make({ fetch }).me();
    await vi.advanceTimersByTimeAsync(2999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await me).user.id).toBe('u1');
    expect(calls).toHaveLength(2);
  });

  it('does not wait for a Retry-After longer than the timeout: the 429 is reported at once', async () => {
    const { calls, fetch } = answers(busy(429, { 'retry-after': '3600' }), ok);
    const error = await rejection(make({ fetch, timeout: 1000 }).me());
    expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(calls).toHaveLength(1);
  });

  it('retries a 408 but never a 429 on group creation', async () => {
    const timedOut = answers(() => new Response(null, { status: 408 }), ok);
    expect((await make({ fetch: timedOut.fetch }).me()).user.id).toBe('u1');
    expect(timedOut.calls).toHaveLength(2);
    const limited = answers(busy(429, { 'retry-after': '0' }));
    const error = await rejection(make({ fetch: limited.fetch }).createConversation({ participantIds: ['a', 'b'], title: 'team' }));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(limited.calls).toHaveLength(1);
  });

  it('does not retry other 4xx such as 409 or 422', async () => {
    for (const [status, code] of [
      [409, 'conflict'],
      [422, 'unprocessable'],
    ] as const) {
      const { calls, fetch } = answers(() => Response.json(errorBody(code, 'no'), { status }));
      expect(await rejection(make({ fetch }).me())).toMatchObject({ code, status });
      expect(calls).toHaveLength(1);
    }
  });

  it('never repeats a group creation after a network failure', async () => {
    let calls = 0;
    const fetch = (async () => {
      calls++;
      throw new TypeError('Failed to fetch');
    }) as typeof globalThis.fetch;
    const error = await rejection(make({ fetch }).createConversation({ participantIds: ['a', 'b'], title: 'team' }));
    expect(error).toMatchObject({ code: 'network', status: 0 });
    expect(error.details).toBeUndefined();
    expect(error.message).toContain('Failed to fetch');
    expect(calls).toBe(1);
  });

  it("stops a request in flight when the caller's signal aborts, without retrying", async () => {
    const { calls, fetch } = hanging();
    const controller = new AbortController();
    const me = rejection(make({ fetch, signal: controller.signal }).me());
    await Promise.resolve();
    controller.abort();
    expect(await me).toMatchObject({ code: 'network', status: 0, details: { reason: 'aborted' } });
    expect(calls()).toBe(1);
  });

  it("stops waiting for a retry when the caller's signal aborts, and sends nothing once aborted", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { calls, fetch } = answers(busy(503, { 'retry-after': '10' }), ok);
    const controller = new AbortController();
    const api = make({ fetch, signal: controller.signal });
    const me = rejection(api.me());
    await vi.advanceTimersByTimeAsync(5000);
    controller.abort();
    expect(await me).toMatchObject({ code: 'network', details: { reason: 'aborted' } });
    expect(calls).toHaveLength(1);
    expect((await rejection(api.me())).details).toEqual({ reason: 'aborted' });
    expect(calls).toHaveLength(1);
  });

  it('backs off 300 * 2^(n-1) ms with jitter (x0.5 to x1.5) by default', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { calls, fetch } = answers(busy(502), busy(502), ok);
    const me = createHttp({ url: API, token: 't', fetch }).me();
    await vi.advanceTimersByTimeAsync(149);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // 300 x 0.5
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(299);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1); // 600 x 0.5
    expect(calls).toHaveLength(3);
    expect((await me).user.id).toBe('u1');
  });

  it('sends JSON with its content type, skips empty query values and accepts an empty 204', async () => {
    const urls: string[] = [];
    const inits: RequestInit[] = [];
    const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      urls.push(String(input));
      inits.push(init!);
      return new Response(null, { status: 204 });
    }) as typeof globalThis.fetch;
    const api = createHttp({ url: `${API}//`, token: 't', fetch });
    expect(await api.markRead('c1', 3)).toBeUndefined();
    await api.listConversations({ limit: 5, cursor: null });
    expect(urls).toEqual([`${API}/conversations/c1/read`, `${API}/conversations?limit=5`]);
    expect(inits[0]).toMatchObject({ method: 'POST', body: '{"seq":3}' });
    expect(new Headers(inits[0]!.headers).get('content-type')).toBe('application/json');
    expect(new Headers(inits[1]!.headers).get('content-type')).toBeNull();
    expect(inits[1]!.body).toBeUndefined();
  });

  it('reads Retry-After as seconds or a date', () => {
    expect(retryAfter('2')).toBe(2000);
    expect(retryAfter(' 0 ')).toBe(0);
    expect(retryAfter(null)).toBeUndefined();
    expect(retryAfter('soon')).toBeUndefined();
    expect(retryAfter(new Date(Date.now() - 60_000).toUTCString())).toBe(0);
  });
});
