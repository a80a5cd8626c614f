import { afterEach, describe, expect, it, vi } from 'vitest';
import { API, errorBody, make, rejection } from '../test/http-helpers';
import { createHttp, retryAfter } from './http';

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
  const busy =
    (status: number, headers: Record<string, string> = {}) =>
    () =>
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
