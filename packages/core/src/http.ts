import ky, { HTTPError } from 'ky';
import { BanterError } from './errors';
import { ERROR_STATUS, isErrorCode, type ErrorCode } from './protocol/errors';
import type {
  Conversation,
  ConversationPage,
  MeResponse,
  Message,
  MessagePage,
  ReadResponse,
  RealtimeConfig,
} from './protocol/schemas';

export interface HttpOptions {
  url: string;
  token?: string;
  getToken?: () => string | Promise<string>;
  fetch?: typeof fetch;
  /** Per request, ms (default 15000). */
  timeout?: number;
  /** Retries of idempotent requests (default 2) and the delay before retry n (default 300 * 2^(n-1) ms). */
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
  sendMessage(id: string, body: { clientId: string; body: string }): Promise<Message>;
  markRead(id: string, seq?: number): Promise<ReadResponse>;
  authorizeChannel(socketId: string, channelName: string): Promise<{ auth: string; channel_data?: string }>;
}

type Query = Record<string, string | number | null | undefined>;

/**
 * The HTTP layer: ky with retries only for idempotent requests, the token refreshed through
 * `getToken` once when a request answers 401, and every failure turned into a {@link BanterError}
 * (`network`, status 0, when no answer arrived).
 *
 * @example
 * const http = createHttp({ url: 'https://host.example/api', token });
 * const { user } = await http.me();
 */
export function createHttp(options: HttpOptions): HttpApi {
  let token = options.token;
  let refreshing: Promise<unknown> | null = null;
  const base = options.url.replace(/\/+$/, '');
  const { limit = 2, delay = (n: number) => 300 * 2 ** (n - 1) } = options.retry ?? {};
  const api = ky.create({
    timeout: options.timeout ?? 15000,
    // Late-bound: tests (msw) and hosts may replace the global fetch after the client was made.
    fetch: (input, init) => (options.fetch ?? fetch)(input, init),
  });

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

  /**
   * One request. `idempotent`: safe to repeat, so retried on network errors and 408/429/5xx.
   * Sends are idempotent too: the server stores a message once per clientId.
   */
  async function request<T>(
    method: 'get' | 'post',
    path: string,
    idempotent: boolean,
    json?: unknown,
    query?: Query,
    retried?: boolean,
  ): Promise<T> {
    const what = `${method.toUpperCase()} ${path}`;
    if (token === undefined) await refresh(undefined);
    const used = token;
    const searchParams: Record<string, string> = {};
    for (const k in query) if (query[k] != null) searchParams[k] = String(query[k]);
    try {
      return (await api(base + path, {
        method,
        headers: used ? { authorization: `Bearer ${used}` } : {},
        searchParams,
        ...(json instanceof URLSearchParams ? { body: json } : json === undefined ? {} : { json }),
        retry: { limit, methods: idempotent ? [method] : [], delay },
      }).json()) as T;
    } catch (error) {
      if (!(error instanceof HTTPError)) {
        throw new BanterError('network', `${what} failed; ${(error as Error)?.message ?? error}`, { cause: error });
      }
      const status = error.response.status;
      if (status === 401 && options.getToken && !retried) {
        await refresh(used);
        if (token !== used) return request(method, path, idempotent, json, query, true);
      }
      let body: { error?: { code?: unknown; message?: string; details?: unknown } } | undefined;
      try {
        body = await error.response.json();
      } catch {
        // Not our JSON (a proxy's HTML page): the status decides.
      }
      const e = body?.error;
      const code = isErrorCode(e?.code) ? e.code : codeForStatus(status);
      throw new BanterError(code, `${what} failed; ${e?.message ?? `HTTP ${status}`}`, {
        status,
        details: e?.details,
        cause: error,
      });
    }
  }

  const conv = (id: string, rest = '') => `/conversations/${encodeURIComponent(id)}${rest}`;
  return {
    me: () => request('get', '/me', true),
    config: () => request('get', '/config', true),
    listConversations: (q = {}) => request('get', '/conversations', true, undefined, q),
    createConversation: async (body) =>
      // A direct conversation is unique per pair, so opening one twice is safe; a new group is not.
      (await request<{ conversation: Conversation }>('post', '/conversations', !body.title && body.participantIds.length < 2, body))
        .conversation,
    getConversation: async (id) => (await request<{ conversation: Conversation }>('get', conv(id), true)).conversation,
    listMessages: (id, q = {}) => request('get', conv(id, '/messages'), true, undefined, q),
    sendMessage: async (id, body) => (await request<{ message: Message }>('post', conv(id, '/messages'), true, body)).message,
    // The cursor only moves forward, so repeating a read is harmless.
    markRead: (id, seq) => request('post', conv(id, '/read'), true, seq === undefined ? {} : { seq }),
    authorizeChannel: (socket_id, channel_name) =>
      request('post', '/realtime/auth', true, new URLSearchParams({ socket_id, channel_name })),
  };
}

function codeForStatus(status: number): ErrorCode {
  for (const code in ERROR_STATUS) if (ERROR_STATUS[code as ErrorCode] === status) return code as ErrorCode;
  return status < 500 ? 'validation_failed' : 'unavailable';
}
