import { BanterError } from './errors';
import { ERROR_STATUS, isErrorCode, type ErrorCode } from './protocol/errors';
import type { CreateUploadResponse } from './protocol/attachments';
import type { Conversation, ConversationPage, MeResponse, Message, MessagePage, ReadResponse, RealtimeConfig } from './protocol/schemas';
import type { SearchResponse } from './protocol/search';
import type { UserSearchResponse } from './protocol/users';

export interface HttpOptions {
  url: string;
  token?: string;
  getToken?: () => string | Promise<string>;
  fetch?: typeof fetch;
  /** Per attempt, ms (default 15000); also the longest `Retry-After` worth waiting for. */
  timeout?: number;
  /** Aborts every request of this layer (in flight or waiting to retry) when it fires. */
  signal?: AbortSignal;
  /**
   * Retries of idempotent requests (default 2) and the delay before retry n (default
   * 300 * 2^(n-1) ms with jitter, ×0.5 to ×1.5). A `Retry-After` on 429/503 replaces the delay.
   */
  retry?: { limit?: number; delay?: (attempt: number) => number };
}

/** The server API as functions: one per route of DESIGN.md. */
export interface HttpApi {
  me(): Promise<MeResponse>;
  config(): Promise<RealtimeConfig>;
  listConversations(query?: { limit?: number; cursor?: string | null }): Promise<ConversationPage>;
  createConversation(body: { participantIds: string[]; title?: string }): Promise<Conversation>;
  getConversation(id: string): Promise<Conversation>;
  listMessages(id: string, query?: { limit?: number; before?: number; after?: number }): Promise<MessagePage>;
  sendMessage(
    id: string,
    body: {
      clientId: string;
      body: string;
      attachments?: string[];
      replyTo?: string;
      threadId?: string;
      showInChannel?: boolean;
      mentions?: string[];
    },
  ): Promise<Message>;
  /**
   * Any other request, `path` under the API URL (a PATCH is never repeated): edits, deletes and
   * reactions go through here. Optional for hosts' own layers (those calls then refuse).
   */
  call?<T>(method: HttpMethod, path: string, json?: unknown): Promise<T>;
  /** `POST /conversations/:id/uploads`, with `url` made absolute (optional for hosts' own layers). */
  createUpload?(id: string, body: { name: string; type: string; size: number }): Promise<CreateUploadResponse>;
  markRead(id: string, seq?: number): Promise<ReadResponse>;
  authorizeChannel(socketId: string, channelName: string): Promise<{ auth: string; channel_data?: string }>;
  authenticateUser(socketId: string): Promise<{ auth: string; user_data: string }>;
  /** `GET /search` (optional for a host's own HttpApi: `client.search` then refuses). */
  search?(query: { q: string; conversationId?: string; cursor?: string; limit?: number }): Promise<SearchResponse>;
  /** `GET /users`: people to start a conversation with (optional, as `search`). */
  searchUsers?(query: { q: string; limit?: number }): Promise<UserSearchResponse>;
  /** A group's admin: `PATCH /conversations/:id`, `POST …/participants`, `DELETE …/participants/:userId` (optional). */
  renameConversation?(id: string, title: string): Promise<Conversation>;
  addParticipants?(id: string, userIds: string[]): Promise<Conversation>;
  removeParticipant?(id: string, userId: string): Promise<unknown>;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * `http.call` for a feature built on it, refusing with a clear error (a rejected promise, never a
 * silent no-op) when a host's own HttpApi has no `call`.
 *
 * @example
 * const call = callOf(ctx.http, 'client.moderation');
 * await call('PUT', `/conversations/${id}/mute`);
 */
export function callOf(http: HttpApi, feature: string) {
  return <T>(method: HttpMethod, path: string, json?: unknown): Promise<T> =>
    http.call
      ? http.call<T>(method, path, json)
      : Promise.reject(new BanterError('validation_failed', `${feature} needs an HttpApi with call`));
}

type Query = Record<string, string | number | null | undefined>;

/** Statuses worth repeating an idempotent request for: no other 4xx, and no 501/505. */
const RETRY_STATUS = [408, 429, 500, 502, 503, 504];

/**
 * The HTTP layer on plain `fetch` (ky was 4.2 KB min+gzip, half the client's 8 KB budget): base URL
 * joining, JSON bodies, the bearer token, a timeout per attempt, retries with backoff and jitter only
 * for idempotent requests (honouring `Retry-After`), the token refreshed through `getToken` once when
 * a request answers 401, and every failure turned into a {@link BanterError}. When no answer arrived
 * the code is `network` (status 0) and `details.reason` says `'timeout'` or `'aborted'` when it was
 * one of those.
 *
 * @example
 * const http = createHttp({ url: 'https://host.example/api', token });
 * const { user } = await http.me();
 */
export function createHttp(options: HttpOptions): HttpApi {
  let token = options.token;
  let refreshing: Promise<unknown> | null = null;
  const { signal, timeout = 15000 } = options;
  const base = options.url.replace(/\/+$/, '');
  const { limit = 2, delay = (n: number) => 300 * 2 ** (n - 1) * (0.5 + Math.random()) } = options.retry ?? {};

  // Concurrent 401s share one getToken call; a request refreshes only if nobody did since it started.
  const refresh = (stale: string | undefined) =>
    token !== stale || !options.getToken
      ? 0
      : (refreshing ??= Promise.resolve()
          .then(options.getToken)
          .then(
            (fresh) => {
              token = fresh;
            },
            (error: unknown) => {
              throw new BanterError('unauthorized', `getToken failed; ${(error as Error)?.message ?? error}`, { cause: error });
            },
          )
          .finally(() => {
            refreshing = null;
          }));

  /** No answer: `reason` tells a timeout or the caller's abort from a failed connection. */
  const noAnswer = (what: string, cause: unknown, reason?: 'timeout' | 'aborted') =>
    new BanterError(
      'network',
      `${what} failed; ${reason === 'timeout' ? `no answer within ${timeout} ms` : reason ? 'aborted' : ((cause as Error)?.message ?? cause)}`,
      { cause, details: reason && { reason } },
    );

  /** Waits `ms` unless the caller aborts first. */
  const sleep = (ms: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        signal?.aborted ? reject(noAnswer(what, signal.reason, 'aborted')) : resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done);
    });

  /**
   * One request. `idempotent`: safe to repeat, so retried on network errors and 408/429/5xx.
   * Sends are idempotent too: the server stores a message once per clientId.
   */
  async function request<T>(
    method: HttpMethod,
    path: string,
    idempotent: boolean,
    json?: unknown,
    query?: Query,
    retried?: boolean,
  ): Promise<T> {
    const what = `${method} ${path}`;
    if (token === undefined) await refresh(undefined);
    const used = token;
    const search = new URLSearchParams();
    for (const k in query) if (query[k] != null) search.append(k, String(query[k]));
    const url = base + path + (String(search) && `?${search}`);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (used) headers.authorization = `Bearer ${used}`;
    let body: string | URLSearchParams | undefined;
    if (json instanceof URLSearchParams) body = json;
    else if (json !== undefined) {
      body = JSON.stringify(json);
      headers['content-type'] = 'application/json';
    }

    for (let attempt = 1; ; attempt++) {
      const retry = idempotent && attempt <= limit;
      // One controller per attempt: fired by the timeout or by the caller's signal.
      const controller = new AbortController();
      const abort = () => controller.abort();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        abort();
      }, timeout);
      signal?.addEventListener('abort', abort);
      let response: Response;
      let text: string;
      try {
        if (signal?.aborted) throw signal.reason;
        // Late-bound: tests (msw) and hosts may replace the global fetch after the client was made.
        response = await (options.fetch ?? fetch)(url, { method, headers, body, signal: controller.signal });
        text = await response.text();
      } catch (error) {
        if (signal?.aborted) throw noAnswer(what, error, 'aborted');
        // A timed-out attempt is not repeated: the caller already waited a whole timeout.
        if (timedOut) throw noAnswer(what, error, 'timeout');
        if (!retry) throw noAnswer(what, error);
        await sleep(delay(attempt), what);
        continue;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
      }

      const status = response.status;
      if (response.ok) {
        try {
          return (text ? JSON.parse(text) : undefined) as T;
        } catch (error) {
          throw noAnswer(what, error);
        }
      }
      if (status === 401 && options.getToken && !retried) {
        await refresh(used);
        if (token !== used) return request(method, path, idempotent, json, query, true);
      }
      if (retry && RETRY_STATUS.includes(status)) {
        const wait = status === 429 || status === 503 ? retryAfter(response.headers.get('retry-after')) : undefined;
        // A server asking for a longer pause than a timeout: give up now, the caller decides.
        if (wait === undefined || wait <= timeout) {
          await sleep(wait ?? delay(attempt), what);
          continue;
        }
      }
      throw httpError(what, status, text);
    }
  }

  const conv = (id: string, rest = '') => `/conversations/${encodeURIComponent(id)}${rest}`;
  const one = async (method: 'POST' | 'PATCH', path: string, body: unknown) =>
    (await request<{ conversation: Conversation }>(method, path, true, body)).conversation;
  return {
    me: () => request('GET', '/me', true),
    config: () => request('GET', '/config', true),
    listConversations: (q = {}) => request('GET', '/conversations', true, undefined, q),
    createConversation: async (body) =>
      // A direct conversation is unique per pair, so opening one twice is safe; a new group is not.
      (await request<{ conversation: Conversation }>('POST', '/conversations', !body.title && body.participantIds.length < 2, body))
        .conversation,
    getConversation: async (id) => (await request<{ conversation: Conversation }>('GET', conv(id), true)).conversation,
    listMessages: (id, q = {}) => request('GET', conv(id, '/messages'), true, undefined, q),
    async createUpload(id, body) {
      const answer = await request<CreateUploadResponse>('POST', conv(id, '/uploads'), false, body);
      // Banter's own upload route is a path under the API's origin; S3's is absolute already.
      const origin = new URL(base, (globalThis as { location?: { href: string } }).location?.href);
      return { ...answer, url: new URL(answer.url, origin).href };
    },
    sendMessage: async (id, body) => (await request<{ message: Message }>('POST', conv(id, '/messages'), true, body)).message,
    // An edit adds a version, so it is not repeated; a delete and a reaction are the same twice.
    call: (method, path, json) => request(method, path, method !== 'PATCH', json),
    searchUsers: (q) => request('GET', '/users', true, undefined, q),
    // Renaming to the same title and adding who is in already change nothing: safe to repeat.
    renameConversation: (id, title) => one('PATCH', conv(id), { title }),
    addParticipants: (id, userIds) => one('POST', conv(id, '/participants'), { userIds }),
    removeParticipant: (id, userId) => request('DELETE', conv(id, `/participants/${encodeURIComponent(userId)}`), false),
    // The cursor only moves forward, so repeating a read is harmless.
    markRead: (id, seq) => request('POST', conv(id, '/read'), true, seq === undefined ? {} : { seq }),
    authorizeChannel: (socket_id, channel_name) =>
      request('POST', '/realtime/auth', true, new URLSearchParams({ socket_id, channel_name })),
    authenticateUser: (socket_id) => request('POST', '/realtime/user-auth', true, new URLSearchParams({ socket_id })),
    search: (q) => request('GET', '/search', true, undefined, q),
  };
}

/**
 * `Retry-After` in ms: delay-seconds or an HTTP date; undefined when absent or unreadable.
 *
 * @example
 * retryAfter('2'); // 2000
 * retryAfter(null); // undefined
 */
export function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const ms = /^\s*\d+\s*$/.test(header) ? Number(header) * 1000 : Date.parse(header) - Date.now();
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}

/** A failed answer as a {@link BanterError}: the house error shape when it is one, else the status decides. */
export function httpError(what: string, status: number, text: string): BanterError {
  let e: { code?: unknown; message?: string; details?: unknown } | undefined;
  try {
    e = JSON.parse(text).error;
  } catch {
    // Not our JSON (a proxy's HTML page, S3's XML): the status decides.
  }
  return new BanterError(isErrorCode(e?.code) ? e.code : codeForStatus(status), `${what} failed; ${e?.message ?? `HTTP ${status}`}`, {
    status,
    details: e?.details,
  });
}

function codeForStatus(status: number): ErrorCode {
  for (const code in ERROR_STATUS) if (ERROR_STATUS[code as ErrorCode] === status) return code as ErrorCode;
  return status < 500 ? 'validation_failed' : 'unavailable';
}
