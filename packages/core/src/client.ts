import { toBanterError } from './errors';
import { createEmitter } from './emitter';
import { createConnection } from './features/connection';
import { defaultTimings, type ClientContext } from './features/context';
import { createConversationSync } from './features/conversation-sync';
import { createDrafts } from './features/drafts';
import { createFiles } from './features/files';
import { lazyGroups, lazyLifecycle, lazyModeration, lazyThreads } from './features/lazy-api';
import { createReadReceipts } from './features/read-receipts';
import { createSendQueue } from './features/send-queue';
import { createHttp, type HttpApi } from './http';
import { browserPlatform, type Platform } from './platform';
import type { RealtimeConfig } from './protocol/schemas';
import type { RealtimeTransport } from './realtime';
import { initialChatState, setMe } from './reducer';
import { defaultStorage, persisted, type ChatStorage } from './storage';
import { createStore } from './store';
import type { ChatClient, ChatClientEvents, ChatClientOptions, ChatMetadata, ChatState, ClientTimings, SendInput } from './types';

export type { ClientTimings } from './types';

/** The client's moving parts, injected: `createChatClient` builds them from its options. */
export interface ClientCoreOptions {
  http: HttpApi;
  /** Starts the realtime connection; null means no realtime (bots, tests). */
  connectRealtime: (() => Promise<RealtimeTransport>) | null;
  timings?: Partial<ClientTimings>;
  platform?: Partial<Platform>;
  readReceipts?: ChatClientOptions['readReceipts'];
  /** Where the send queue and drafts are kept (default: `localStorage` in browsers, else memory). */
  storage?: ChatStorage;
  /** Prefix of the storage keys, before the user id (createChatClient: `banter:<url>:`). */
  storageKey?: string;
  debug?: boolean;
}

/**
 * Creates the headless chat client: HTTP, realtime (pusher-js, loaded lazily) and one store.
 * With only the API URL and a token it reads `GET /config` and connects by itself.
 *
 * @example
 * import { createChatClient, selectConversationList } from '@banter/core';
 *
 * const client = createChatClient({ url: 'https://host.example/api', getToken: fetchBanterToken });
 * await client.ready;
 * await client.conversations.list();
 * client.store.subscribe(() => render(selectConversationList(client.store.getSnapshot())));
 * const conversation = await client.conversations.open({ with: 'bob' });
 * client.messages.send(conversation.id, 'Hello Bob!');
 */
export function createChatClient<T extends ChatMetadata = ChatMetadata>(options: ChatClientOptions): ChatClient<T> {
  const http = createHttp(options);
  const realtime = options.realtime;
  return createClientCore({
    ...options,
    http,
    storageKey: `banter:${options.url}:`,
    debug: !!options.debug,
    connectRealtime:
      realtime === false
        ? null
        : async () => {
            const override = realtime?.config ?? {};
            // pusher-js and its glue load lazily: a bot without realtime never pays for them.
            const [{ connectPusher }, Pusher, config] = await Promise.all([
              import('./realtime'),
              realtime?.Pusher ?? import('./load-pusher').then((m) => m.loadPusher()),
              // A complete override (key and wsHost given) spares the /config request.
              'key' in override && 'wsHost' in override ? ({} as RealtimeConfig) : http.config(),
            ]);
            return connectPusher({ Pusher, url: options.url, config: { ...config, ...override }, http });
          },
  }) as unknown as ChatClient<T>;
}

/**
 * The client over injected HTTP and realtime layers (what `createChatClient` wires up); for tests
 * and for hosts bringing their own transport. It composes four features that each own their state
 * and a `dispose()`: conversation sync, send queue, read receipts and the connection.
 *
 * @example
 * const client = createClientCore({ http: createHttp({ url, token }), connectRealtime: null });
 */
export function createClientCore(core: ClientCoreOptions): ChatClient {
  const store = createStore<ChatState>(initialChatState);
  const snapshot = store.getSnapshot;
  // debug: true is an explicit ask, so console.info (console.debug is hidden by default in Chrome).
  const log = core.debug ? (...args: unknown[]) => console.info('[banter]', ...args) : () => {};
  const events = createEmitter<ChatClientEvents>(log);
  const ctx: ClientContext = {
    http: core.http,
    platform: { ...browserPlatform, ...core.platform },
    timings: { ...defaultTimings, ...core.timings },
    snapshot,
    subscribe: store.subscribe,
    dispatch: store.setState,
    get: (id) => snapshot().conversations[id],
    events,
    log,
    report(error, extra = {}) {
      log(error);
      events.emit('error', { error: toBanterError(error), ...extra });
    },
    closed: false,
  };

  const conversations = createConversationSync(ctx);
  const reads = createReadReceipts(ctx, core.readReceipts);
  const connection = createConnection(
    ctx,
    { conversations, scheduleRead: reads.schedule, resume: () => queue.resume() },
    core.connectRealtime,
    !!core.debug,
  );
  const files = createFiles(ctx);
  const queue = createSendQueue(ctx, conversations, connection.offline, files);
  const offOnline = ctx.platform.onOnlineChange(queue.resume);
  const storage = core.storage ?? defaultStorage();
  const drafts = createDrafts(ctx, storage);
  let saved: { restore(): Promise<void>; dispose(): void } | undefined;
  const ready = (async () => {
    const { user, uploads } = await core.http.me();
    if (ctx.closed) return;
    files.setLimits(uploads);
    ctx.dispatch((s) => setMe(s, user));
    void connection.start(user);
    // Keys per server and user: two users in one page (the demo) keep apart.
    const prefix = `${core.storageKey ?? 'banter:'}${user.id}:`;
    ctx.box = (name) => persisted(storage, `${prefix}${name}`, ctx.report);
    // Loaded on start, like the realtime glue: only a client that reaches /me restores its sends (and changes).
    const restore = import('./features/saved-sends').then(async ({ createSavedSends }) => {
      saved = createSavedSends(ctx, ctx.box!('outbox'), conversations, queue.restore);
      await saved.restore();
    });
    await Promise.all([drafts.load(prefix), restore]);
  })();
  ready.catch((error) => {
    connection.setState('offline');
    ctx.report(error);
  });

  return {
    ready,
    http: core.http,
    get me() {
      return snapshot().me;
    },
    store: { subscribe: store.subscribe, getSnapshot: snapshot },
    connection: connection.info,
    drafts: drafts.api,
    get uploadLimits() {
      return files.limits;
    },
    conversations: {
      list: conversations.list,
      loadMore: conversations.loadMore,
      open: async (options) => conversations.insert(await core.http.createConversation({ participantIds: [options.with] })),
      create: async (options) => conversations.insert(await core.http.createConversation(options)),
      get: async (id) => conversations.insert(await core.http.getConversation(id)),
      ...lazyGroups(ctx, conversations.insert),
    },
    users: { search: (q, options) => core.http.searchUsers!({ ...options, q }) },
    messages: {
      async load(id) {
        await conversations.load(id);
        reads.schedule(id);
      },
      loadOlder: conversations.loadOlder,
      send(id, body) {
        // A thread's reply leaves the conversation's draft alone.
        if (!(body as SendInput).threadId) drafts.api.set(id, '');
        return queue.send(id, body);
      },
      retry: queue.retry,
      discard: queue.discard,
      ...lazyLifecycle(ctx),
      ...lazyThreads(ctx),
    },
    // null and undefined fields stay out of the query string.
    search: (q, options) => core.http.search!({ ...options, q } as { q: string }),
    moderation: lazyModeration(ctx, conversations.insert),
    markRead: reads.markRead,
    markSeen: reads.seen,
    setReadReceipts: reads.setMode,
    setActiveConversation(id) {
      connection.setActive(id);
      if (id) reads.schedule(id);
    },
    typing: connection.typing,
    on: events.on,
    close() {
      if (ctx.closed) return;
      ctx.closed = true;
      offOnline();
      for (const feature of [conversations, reads, queue, connection]) feature.dispose();
      saved?.dispose();
      events.clear();
    },
  };
}
