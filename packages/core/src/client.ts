import { BanterError, toBanterError } from './errors';
import { createEmitter } from './emitter';
import { createHttp, type HttpApi } from './http';
import { EVENTS } from './protocol/channels';
import { LIMITS } from './protocol/limits';
import type {
  Conversation,
  ConversationPage,
  ConversationReadEvent,
  ConversationUpdatedEvent,
  Message,
  MessageCreatedEvent,
  MessagePage,
  RealtimeConfig,
  User,
} from './protocol/schemas';
import { connectPusher, type PresenceHandle, type RealtimeTransport } from './realtime';
import {
  addPending,
  applyOwnRead,
  applyRead,
  findPending,
  firstGap,
  initialChatState,
  lastConfirmedSeq,
  mergeMessages,
  removePending,
  setActiveConversation,
  setConnection,
  setLoadingOlder,
  setMe,
  setOnline,
  setPendingStatus,
  setTyping,
  upsertConversations,
} from './reducer';
import { createStore, readonlyStore } from './store';
import type {
  ChatClient,
  ChatClientEvents,
  ChatClientOptions,
  ChatState,
  ConnectionState,
  LocalMessage,
  PusherConstructor,
} from './types';
import { uuid } from './uuid';

/** Timings, overridable by tests. */
export interface ClientTimings {
  /** Least ms between two client-typing events of one conversation (default 3000). */
  typingThrottle: number;
  /** A remote typing indicator disappears this long after its last event (default 5000). */
  typingExpiry: number;
  /** Automatic read receipts are debounced by this much (default 300). */
  readDebounce: number;
  /** Delay before sending again after a network failure number n (default 1 s doubling, at most 30 s). */
  sendBackoff: (attempt: number) => number;
}

/** The client's moving parts, injected: `createChatClient` builds them from its options. */
export interface ClientCoreOptions {
  http: HttpApi;
  /** Starts the realtime connection for the signed-in user; null means no realtime. */
  connectRealtime: (() => Promise<RealtimeTransport>) | null;
  timings?: Partial<ClientTimings>;
  debug?: boolean;
}

const DEFAULT_TIMINGS: ClientTimings = {
  typingThrottle: 3000,
  typingExpiry: 5000,
  readDebounce: 300,
  sendBackoff: (n) => Math.min(30_000, 1000 * 2 ** (n - 1)),
};

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
export function createChatClient(options: ChatClientOptions): ChatClient {
  const http = createHttp({
    url: options.url,
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.getToken ? { getToken: options.getToken } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
  });
  const realtime = options.realtime;
  const connectRealtime =
    realtime === false
      ? null
      : async (): Promise<RealtimeTransport> => {
          const override = realtime?.config ?? {};
          // A complete override (key and wsHost given) spares the /config request.
          const config: RealtimeConfig =
            'key' in override && 'wsHost' in override
              ? { cluster: 'mt1', wsPort: null, wssPort: null, forceTLS: false, authEndpoint: 'realtime/auth', ...override } as RealtimeConfig
              : { ...(await http.config()), ...override };
          const Pusher: PusherConstructor = realtime?.Pusher ?? (await loadPusher());
          return connectPusher({ Pusher, url: options.url, config, http });
        };
  return createClientCore({ http, connectRealtime, ...(options.debug ? { debug: true } : {}) });
}

/** The lowest seq a page proves we hold from: its first message, or 1 when nothing is older. */
const lowerBound = (page: MessagePage) => (page.hasMore ? (page.messages[0]?.seq ?? 1) : 1);

async function loadPusher(): Promise<PusherConstructor> {
  // A dynamic import keeps pusher-js (about 20 KB gzip) out of the client's own bundle size.
  const mod = (await import('pusher-js')) as unknown as { default?: PusherConstructor & { default?: PusherConstructor } };
  const Pusher = mod.default?.default ?? mod.default ?? (mod as unknown as PusherConstructor);
  return Pusher;
}

/**
 * The client over injected HTTP and realtime layers (what `createChatClient` wires up). Exposed for
 * tests and for hosts bringing their own transport.
 *
 * @example
 * const client = createClientCore({ http: createHttp({ url, token }), connectRealtime: null });
 */
export function createClientCore(core: ClientCoreOptions): ChatClient {
  const { http } = core;
  const timings: ClientTimings = { ...DEFAULT_TIMINGS, ...core.timings };
  const store = createStore<ChatState>(initialChatState);
  const dispatch = (update: (state: ChatState) => ChatState) => store.setState(update);
  const snapshot = () => store.getSnapshot();
  const log = core.debug ? (...args: unknown[]) => console.debug('[banter]', ...args) : () => {};
  const events = createEmitter<ChatClientEvents>((error) => log('event handler threw', error));
  const report = (error: unknown, extra: { clientId?: string; conversationId?: string } = {}) => {
    const banterError = toBanterError(error);
    log('error', banterError);
    events.emit('error', { error: banterError, ...extra });
  };

  let closed = false;
  let transport: RealtimeTransport | null = null;
  let presence: { conversationId: string; handle: PresenceHandle } | null = null;
  const history: { state: ConnectionState; at: number }[] = [{ state: 'connecting', at: Date.now() }];

  // Send queues: per conversation, clientIds in send order; one request in flight per conversation
  // so the server assigns seqs in the order the user sent.
  const queues = new Map<string, string[]>();
  const inFlight = new Map<string, string>();
  const backoff = new Map<string, { timer: ReturnType<typeof setTimeout>; attempt: number }>();
  const failures = new Map<string, number>();

  const syncs = new Map<string, { promise: Promise<void>; again: boolean; tail: boolean }>();
  const fetchingConversation = new Map<string, Promise<Conversation>>();
  const readTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const readRequested = new Map<string, number>();
  const typingSentAt = new Map<string, number>();
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let listCursor: string | null = null;
  let listLoaded = false;

  const setConnectionState = (next: ConnectionState) => {
    const previous = snapshot().connection;
    if (previous === next) return;
    dispatch((s) => setConnection(s, next));
    history.push({ state: next, at: Date.now() });
    if (history.length > 20) history.shift();
    log('connection', previous, '->', next);
    events.emit('connection', { previous, current: next });
    if (next === 'connected') for (const id of queues.keys()) resumeQueue(id);
  };

  // ---------------------------------------------------------------- merging

  /** Merges server messages and emits `message` for the ones that are news (not history pages). */
  function merge(conversationId: string, messages: Message[], options: { from?: number; history?: boolean } = {}) {
    const before = snapshot().conversations[conversationId];
    if (!before) return;
    const known = new Set(before.messages.map((m) => m.seq));
    const lastSeq = before.conversation.lastSeq;
    dispatch((s) => mergeMessages(s, conversationId, messages, options.from === undefined ? {} : { from: options.from }));
    const after = snapshot().conversations[conversationId];
    const emitted = new Set<number>();
    for (const message of [...messages].sort((a, b) => a.seq - b.seq)) {
      if (known.has(message.seq) || emitted.has(message.seq) || message.conversationId !== conversationId) continue;
      if (options.history && message.seq <= lastSeq) continue;
      if (!after?.messages.some((m) => m.seq === message.seq)) continue;
      emitted.add(message.seq);
      events.emit('message', { conversationId, message });
    }
  }

  /** Fetches a conversation unknown to the store (a message for it arrived) and inserts it. */
  function ensureConversation(conversationId: string): Promise<Conversation> {
    const existing = snapshot().conversations[conversationId];
    if (existing) return Promise.resolve(existing.conversation);
    let pending = fetchingConversation.get(conversationId);
    if (!pending) {
      pending = http
        .getConversation(conversationId)
        .then((conversation) => {
          dispatch((s) => upsertConversations(s, [conversation]));
          return snapshot().conversations[conversationId]?.conversation ?? conversation;
        })
        .finally(() => fetchingConversation.delete(conversationId));
      fetchingConversation.set(conversationId, pending);
    }
    return pending;
  }

  /**
   * Makes a conversation's confirmed messages contiguous (and, with `tail`, complete up to the
   * server's latest) by asking `messages?after=`. Runs one at a time per conversation; a request
   * made while one runs makes it run once more.
   */
  function sync(conversationId: string, tail: boolean): Promise<void> {
    const running = syncs.get(conversationId);
    if (running) {
      running.again = true;
      running.tail ||= tail;
      return running.promise;
    }
    const entry = { promise: Promise.resolve(), again: true, tail };
    entry.promise = (async () => {
      try {
        while (entry.again && !closed) {
          entry.again = false;
          const withTail = entry.tail;
          entry.tail = false;
          await fill(conversationId, withTail);
        }
      } finally {
        syncs.delete(conversationId);
      }
    })();
    syncs.set(conversationId, entry);
    return entry.promise;
  }

  async function fill(conversationId: string, tail: boolean) {
    let tailDone = !tail;
    // Bounded: each round either fills something or stops.
    for (let round = 0; round < 1000 && !closed; round++) {
      const cs = snapshot().conversations[conversationId];
      if (!cs) return;
      const gap = firstGap(cs);
      let after: number;
      if (gap !== null) after = gap;
      else if (!tailDone && (cs.loaded || lastConfirmedSeq(cs) > 0)) after = lastConfirmedSeq(cs);
      else return;
      const page = await http.listMessages(conversationId, { after, limit: LIMITS.pageMax });
      log('fill', conversationId, 'after', after, '->', page.messages.length);
      merge(conversationId, page.messages);
      if (page.messages.length === 0) {
        if (gap !== null) return; // The server has nothing there: stop rather than loop.
        tailDone = true;
      } else if (gap === null && !page.hasMore) {
        tailDone = true;
      }
    }
  }

  const fillGapsInBackground = (conversationId: string) => {
    const cs = snapshot().conversations[conversationId];
    if (cs && firstGap(cs) !== null) sync(conversationId, false).catch((e) => report(e, { conversationId }));
  };

  // ---------------------------------------------------------------- realtime events

  async function onUserEvent(name: string, data: unknown) {
    log('event', name, data);
    try {
      if (name === EVENTS.messageCreated) await onMessageCreated(data as MessageCreatedEvent);
      else if (name === EVENTS.conversationRead) onConversationRead(data as ConversationReadEvent);
      else if (name === EVENTS.conversationUpdated) {
        const { conversation } = data as ConversationUpdatedEvent;
        dispatch((s) => upsertConversations(s, [conversation]));
        events.emit('conversation', { conversation: snapshot().conversations[conversation.id]?.conversation ?? conversation });
        fillGapsInBackground(conversation.id);
      }
    } catch (error) {
      report(error);
    }
  }

  async function onMessageCreated(event: MessageCreatedEvent) {
    const id = event.conversationId;
    await ensureConversation(id);
    if (event.message) merge(id, [event.message]);
    else {
      // Too large for the realtime service: the event only says where to look.
      const page = await http.listMessages(id, { after: Math.max(0, event.seq - 1), limit: LIMITS.pageMax });
      merge(id, page.messages);
    }
    fillGapsInBackground(id);
    scheduleAutoRead(id);
  }

  function onConversationRead(event: ConversationReadEvent) {
    if (event.userId === snapshot().me?.id) dispatch((s) => applyOwnRead(s, event.conversationId, event.lastReadSeq));
    else dispatch((s) => applyRead(s, event));
    events.emit('read', event);
  }

  /** After every (re)subscription of the user channel: what happened while we were away. */
  async function catchUp() {
    if (listLoaded) {
      const page = await http.listConversations({ limit: LIMITS.pageDefault });
      dispatch((s) => upsertConversations(s, page.conversations));
    }
    const state = snapshot();
    await Promise.all(
      state.conversationOrder
        .filter((id) => {
          const cs = state.conversations[id]!;
          return cs.loaded || lastConfirmedSeq(cs) > 0;
        })
        .map((id) => sync(id, true).catch((e) => report(e, { conversationId: id }))),
    );
  }

  async function startRealtime(me: User) {
    if (!core.connectRealtime) {
      setConnectionState('connected');
      return;
    }
    try {
      const connected = await core.connectRealtime();
      if (closed) {
        connected.close();
        return;
      }
      transport = connected;
      transport.onStateChange(setConnectionState);
      setConnectionState(transport.state);
      transport.subscribeUser(me.id, {
        event: (name, data) => void onUserEvent(name, data),
        subscribed: () => void catchUp().catch((e) => report(e)),
        error: (error) => report(error),
      });
      joinActivePresence();
    } catch (error) {
      setConnectionState('offline');
      report(toBanterError(error, 'unable to start the realtime connection'));
    }
  }

  // ---------------------------------------------------------------- presence and typing

  function joinActivePresence() {
    const active = snapshot().activeConversationId;
    if (presence && presence.conversationId !== active) {
      const left = presence.conversationId;
      presence.handle.leave();
      presence = null;
      dispatch((s) => setOnline(s, left, []));
    }
    if (!transport || !active || presence) return;
    presence = {
      conversationId: active,
      handle: transport.joinPresence(active, {
        members: (ids) => dispatch((s) => setOnline(s, active, ids)),
        typing: (userId) => onTyping(active, userId),
      }),
    };
  }

  function onTyping(conversationId: string, userId: string) {
    if (userId === snapshot().me?.id) return;
    dispatch((s) => setTyping(s, conversationId, userId, true));
    events.emit('typing', { conversationId, userId });
    const key = `${conversationId}\n${userId}`;
    clearTimeout(typingTimers.get(key));
    typingTimers.set(
      key,
      setTimeout(() => {
        typingTimers.delete(key);
        dispatch((s) => setTyping(s, conversationId, userId, false));
      }, timings.typingExpiry),
    );
  }

  // ---------------------------------------------------------------- read receipts

  const isVisible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';

  function scheduleAutoRead(conversationId: string) {
    if (closed || snapshot().activeConversationId !== conversationId || !isVisible()) return;
    clearTimeout(readTimers.get(conversationId));
    readTimers.set(
      conversationId,
      setTimeout(() => {
        readTimers.delete(conversationId);
        if (snapshot().activeConversationId !== conversationId || !isVisible()) return;
        const cs = snapshot().conversations[conversationId];
        if (!cs) return;
        const seq = lastConfirmedSeq(cs);
        // The cursor only moves forward, and one request per position is enough.
        if (seq === 0 || (seq <= cs.conversation.lastReadSeq && cs.conversation.unreadCount === 0)) return;
        if ((readRequested.get(conversationId) ?? 0) >= seq) return;
        readRequested.set(conversationId, seq);
        markRead(conversationId, seq).catch((error) => {
          readRequested.delete(conversationId);
          report(error, { conversationId });
        });
      }, timings.readDebounce),
    );
  }

  async function markRead(conversationId: string, seq?: number) {
    const cs = snapshot().conversations[conversationId];
    if (cs) {
      const target = seq ?? Math.max(cs.conversation.lastSeq, lastConfirmedSeq(cs));
      if (target <= cs.conversation.lastReadSeq && cs.conversation.unreadCount === 0) return;
      if (target > cs.conversation.lastReadSeq) dispatch((s) => applyOwnRead(s, conversationId, target));
    }
    const reply = await http.markRead(conversationId, seq);
    dispatch((s) => applyOwnRead(s, conversationId, reply.lastReadSeq, reply.unreadCount));
  }

  const onVisibility = () => {
    const active = snapshot().activeConversationId;
    if (active) scheduleAutoRead(active);
  };
  const onOnline = () => {
    for (const id of queues.keys()) resumeQueue(id);
  };
  if (typeof document !== 'undefined' && typeof document.addEventListener === 'function') {
    document.addEventListener('visibilitychange', onVisibility);
  }
  if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
    window.addEventListener('online', onOnline);
  }

  // ---------------------------------------------------------------- sending

  function resumeQueue(conversationId: string) {
    const waiting = backoff.get(conversationId);
    if (waiting) {
      clearTimeout(waiting.timer);
      backoff.delete(conversationId);
    }
    void pump(conversationId);
  }

  function enqueue(conversationId: string, clientId: string) {
    let queue = queues.get(conversationId);
    if (!queue) queues.set(conversationId, (queue = []));
    if (!queue.includes(clientId)) queue.push(clientId);
    void pump(conversationId);
  }

  const dequeue = (conversationId: string, clientId: string) => {
    const queue = queues.get(conversationId);
    if (!queue) return;
    const at = queue.indexOf(clientId);
    if (at >= 0) queue.splice(at, 1);
    if (queue.length === 0) queues.delete(conversationId);
  };

  async function pump(conversationId: string): Promise<void> {
    if (closed || inFlight.has(conversationId) || backoff.has(conversationId)) return;
    // Offline: keep everything in order until the connection is back.
    const state = snapshot().connection;
    if (transport && (state === 'offline' || state === 'unavailable')) return;
    const queue = queues.get(conversationId);
    const clientId = queue?.[0];
    if (clientId === undefined) return;
    const message = snapshot().conversations[conversationId]?.messages.find(
      (m) => m.seq === null && m.clientId === clientId,
    );
    if (!message || message.status !== 'sending') {
      dequeue(conversationId, clientId);
      return pump(conversationId);
    }
    inFlight.set(conversationId, clientId);
    let again = true;
    try {
      const stored = await http.sendMessage(conversationId, { clientId, body: message.body });
      failures.delete(conversationId);
      dequeue(conversationId, clientId);
      merge(conversationId, [stored]);
      fillGapsInBackground(conversationId);
    } catch (error) {
      const banterError = toBanterError(error, 'unable to send message');
      if (banterError.code === 'network' && !closed) {
        // No answer at all: the message waits, first in line, for a later attempt or the connection.
        const attempt = (failures.get(conversationId) ?? 0) + 1;
        failures.set(conversationId, attempt);
        backoff.set(conversationId, {
          attempt,
          timer: setTimeout(() => {
            backoff.delete(conversationId);
            void pump(conversationId);
          }, timings.sendBackoff(attempt)),
        });
        log('send waits', clientId, banterError.message);
        again = false;
      } else {
        dequeue(conversationId, clientId);
        dispatch((s) => setPendingStatus(s, conversationId, clientId, 'failed', banterError));
        report(banterError, { clientId, conversationId });
      }
    } finally {
      inFlight.delete(conversationId);
    }
    if (again) return pump(conversationId);
  }

  function send(conversationId: string, body: string): LocalMessage {
    const me = snapshot().me;
    const message: LocalMessage = {
      id: null,
      seq: null,
      conversationId,
      senderId: me?.id ?? '',
      clientId: uuid(),
      body,
      createdAt: new Date().toISOString(),
      editedAt: null,
      deletedAt: null,
      status: 'sending',
    };
    // What the server would refuse fails here, visibly, without a request.
    let invalid: BanterError | null = null;
    if (body.trim().length === 0) invalid = new BanterError('validation_failed', 'unable to send message; a message needs some text');
    else if (body.length > LIMITS.messageLength)
      invalid = new BanterError('validation_failed', `unable to send message; messages are at most ${LIMITS.messageLength} characters`);
    const local: LocalMessage = invalid ? { ...message, status: 'failed', error: invalid } : message;
    const add = () => {
      dispatch((s) => addPending(s, local));
      if (invalid) report(invalid, { clientId: local.clientId, conversationId });
      else enqueue(conversationId, local.clientId);
    };
    if (snapshot().conversations[conversationId]) add();
    else ensureConversation(conversationId).then(add, (error) => report(error, { clientId: local.clientId, conversationId }));
    return local;
  }

  // ---------------------------------------------------------------- public API

  const ready = (async () => {
    const { user } = await http.me();
    if (closed) return;
    dispatch((s) => setMe(s, user));
    void startRealtime(user);
  })();
  ready.catch((error) => {
    setConnectionState('offline');
    report(error);
  });

  async function list(options: { cursor?: string | null; limit?: number } = {}): Promise<ConversationPage> {
    const page = await http.listConversations({
      limit: options.limit ?? LIMITS.pageDefault,
      ...(options.cursor ? { cursor: options.cursor } : {}),
    });
    const extendsList = !options.cursor || options.cursor === listCursor;
    if (extendsList) {
      listCursor = page.nextCursor;
      listLoaded = true;
    }
    dispatch((s) => upsertConversations(s, page.conversations, extendsList ? page.nextCursor !== null : undefined));
    return page;
  }

  const insert = (conversation: Conversation) => {
    dispatch((s) => upsertConversations(s, [conversation]));
    return snapshot().conversations[conversation.id]?.conversation ?? conversation;
  };

  const client: ChatClient = {
    ready,
    get me() {
      return snapshot().me;
    },
    store: readonlyStore(store),
    connection: {
      get state() {
        return snapshot().connection;
      },
      get history() {
        return history.slice();
      },
      subscribe: (listener) => events.on('connection', listener),
    },
    conversations: {
      list,
      async loadMore() {
        if (!listLoaded) await list();
        else if (listCursor !== null) await list({ cursor: listCursor });
        return listCursor !== null;
      },
      open: async (options) => insert(await http.createConversation({ participantIds: [options.with] })),
      create: async (options) =>
        insert(
          await http.createConversation({
            participantIds: options.participantIds,
            ...(options.title !== undefined ? { title: options.title } : {}),
          }),
        ),
      get: async (id) => insert(await http.getConversation(id)),
    },
    messages: {
      async load(conversationId) {
        await ensureConversation(conversationId);
        const cs = snapshot().conversations[conversationId]!;
        if (cs.loaded) {
          // Already shown: fetch only what came since, so the list stays contiguous.
          await sync(conversationId, true);
        } else {
          const page = await http.listMessages(conversationId, { limit: LIMITS.pageDefault });
          merge(conversationId, page.messages, { from: lowerBound(page), history: true });
          await sync(conversationId, false);
        }
        scheduleAutoRead(conversationId);
      },
      async loadOlder(conversationId) {
        const cs = snapshot().conversations[conversationId];
        if (!cs || (!cs.loaded && lastConfirmedSeq(cs) === 0)) {
          await client.messages.load(conversationId);
          return snapshot().conversations[conversationId]?.hasOlder ?? false;
        }
        const first = cs.syncedFrom ?? cs.messages.find((m) => m.seq !== null)?.seq ?? null;
        if (first === null || first <= 1) return false;
        dispatch((s) => setLoadingOlder(s, conversationId, true));
        try {
          const page = await http.listMessages(conversationId, { before: first, limit: LIMITS.pageDefault });
          merge(conversationId, page.messages, { from: lowerBound(page), history: true });
        } finally {
          dispatch((s) => setLoadingOlder(s, conversationId, false));
        }
        return snapshot().conversations[conversationId]?.hasOlder ?? false;
      },
      send,
      retry(clientId) {
        const message = findPending(snapshot(), clientId);
        if (!message || message.status !== 'failed') return;
        if (message.body.trim().length === 0 || message.body.length > LIMITS.messageLength) return;
        dispatch((s) => setPendingStatus(s, message.conversationId, clientId, 'sending'));
        enqueue(message.conversationId, clientId);
      },
      discard(clientId) {
        const message = findPending(snapshot(), clientId);
        if (!message || inFlight.get(message.conversationId) === clientId) return false;
        dequeue(message.conversationId, clientId);
        dispatch((s) => removePending(s, message.conversationId, clientId));
        return true;
      },
    },
    markRead,
    setActiveConversation(conversationId) {
      dispatch((s) => setActiveConversation(s, conversationId));
      joinActivePresence();
      if (conversationId) scheduleAutoRead(conversationId);
    },
    typing(conversationId) {
      const me = snapshot().me;
      if (!me || !presence || presence.conversationId !== conversationId) return;
      const now = Date.now();
      if (now - (typingSentAt.get(conversationId) ?? -Infinity) < timings.typingThrottle) return;
      typingSentAt.set(conversationId, now);
      presence.handle.typing(me.id);
    },
    on: (event, handler) => events.on(event, handler),
    close() {
      if (closed) return;
      closed = true;
      presence?.handle.leave();
      presence = null;
      transport?.close();
      for (const t of readTimers.values()) clearTimeout(t);
      for (const t of typingTimers.values()) clearTimeout(t);
      for (const b of backoff.values()) clearTimeout(b.timer);
      readTimers.clear();
      typingTimers.clear();
      backoff.clear();
      if (typeof document !== 'undefined' && typeof document.removeEventListener === 'function') {
        document.removeEventListener('visibilitychange', onVisibility);
      }
      if (typeof window !== 'undefined' && typeof window.removeEventListener === 'function') {
        window.removeEventListener('online', onOnline);
      }
      setConnectionState('offline');
      events.clear();
    },
  };
  return client;
}
