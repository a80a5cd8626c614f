import { BanterError, toBanterError } from './errors';
import { createEmitter } from './emitter';
import { createHttp, type HttpApi } from './http';
import { LIMITS } from './protocol/limits';
import type { Conversation, ConversationPage, Message, MessagePage, ReadResponse, RealtimeConfig } from './protocol/schemas';
import type { RealtimeTransport } from './realtime';
import type { RealtimeSession } from './realtime-session';
import {
  addPending,
  applyOwnRead,
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
  setPendingStatus,
  upsertConversations,
} from './reducer';
import { createStore } from './store';
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
  /** Delay before sending again after network failure number n (default 1 s doubling, at most 30 s). */
  sendBackoff: (attempt: number) => number;
}

/** The client's moving parts, injected: `createChatClient` builds them from its options. */
export interface ClientCoreOptions {
  http: HttpApi;
  /** Starts the realtime connection; null means no realtime (bots, tests). */
  connectRealtime: (() => Promise<RealtimeTransport>) | null;
  timings?: Partial<ClientTimings>;
  debug?: boolean;
}

/** The lowest seq a page proves we hold from: its first message, or 1 when nothing is older. */
const lowerBound = (page: MessagePage) => (page.hasMore ? (page.messages[0]?.seq ?? 1) : 1);

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
  const http = createHttp(options);
  const realtime = options.realtime;
  return createClientCore({
    http,
    debug: !!options.debug,
    connectRealtime:
      realtime === false
        ? null
        : async () => {
            const override = realtime?.config ?? {};
            // pusher-js and its glue load lazily: a bot without realtime never pays for them.
            const [{ connectPusher }, Pusher, config] = await Promise.all([
              import('./realtime'),
              realtime?.Pusher ??
                import('pusher-js').then((m) => {
                  const mod = m as unknown as { default: PusherConstructor & { default?: PusherConstructor } };
                  return mod.default.default ?? mod.default;
                }),
              // A complete override (key and wsHost given) spares the /config request.
              'key' in override && 'wsHost' in override ? ({} as RealtimeConfig) : http.config(),
            ]);
            return connectPusher({ Pusher, url: options.url, config: { ...config, ...override }, http });
          },
  });
}

/**
 * The client over injected HTTP and realtime layers (what `createChatClient` wires up); for tests
 * and for hosts bringing their own transport.
 *
 * @example
 * const client = createClientCore({ http: createHttp({ url, token }), connectRealtime: null });
 */
export function createClientCore(core: ClientCoreOptions): ChatClient {
  const { http } = core;
  const timings: ClientTimings = {
    typingThrottle: 3000,
    typingExpiry: 5000,
    readDebounce: 300,
    sendBackoff: (n) => Math.min(30_000, 1000 * 2 ** (n - 1)),
    ...core.timings,
  };
  const store = createStore<ChatState>(initialChatState);
  const dispatch = store.setState;
  const snapshot = store.getSnapshot;
  const get = (id: string) => snapshot().conversations[id];
  // debug: true is an explicit ask, so console.info (console.debug is hidden by default in Chrome).
  const log = core.debug ? (...args: unknown[]) => console.info('[banter]', ...args) : () => {};
  const events = createEmitter<ChatClientEvents>(log);
  const report = (error: unknown, extra: { clientId?: string; conversationId?: string } = {}) => {
    log(error);
    events.emit('error', { error: toBanterError(error), ...extra });
  };

  let closed = false;
  let session: RealtimeSession | null = null;
  const history: { state: ConnectionState; at: number }[] = [{ state: 'connecting', at: Date.now() }];
  // Send queues: per conversation, clientIds in send order, one request in flight per conversation,
  // so the server assigns seqs in the order the user sent.
  const queues = new Map<string, string[]>();
  const inFlight = new Map<string, string>();
  const waiting = new Map<string, { timer: ReturnType<typeof setTimeout> }>();
  // Consecutive passing failures of a conversation's head send: the backoff grows until one succeeds.
  const sendFailures = new Map<string, number>();
  const syncs = new Map<string, { promise: Promise<void>; again: boolean; tail: boolean }>();
  const fetching = new Map<string, Promise<Conversation>>();
  const readTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const readRequested = new Map<string, number>();
  const typingSentAt = new Map<string, number>();
  let listCursor: string | null = null;
  let listLoaded = false;
  let transportState: ConnectionState | null = null;

  function setConnectionState(next: ConnectionState) {
    const previous = snapshot().connection;
    if (previous === next) return;
    dispatch((s) => setConnection(s, next));
    history.push({ state: next, at: Date.now() });
    if (history.length > 20) history.shift();
    log(`connection ${previous} -> ${next}`);
    events.emit('connection', { previous, current: next });
    if (next === 'connected') resumeAll();
  }

  /** Merges server messages; emits `message` for the ones new to the store (not for history pages). */
  function merge(conversationId: string, messages: Message[], from?: number) {
    const before = get(conversationId);
    if (!before) return;
    const known = new Set(before.messages.map((m) => m.seq));
    dispatch((s) => mergeMessages(s, conversationId, messages, from === undefined ? {} : { from }));
    for (const message of messages) {
      if (known.has(message.seq) || (from !== undefined && message.seq <= before.conversation.lastSeq)) continue;
      known.add(message.seq);
      events.emit('message', { conversationId, message });
    }
  }

  /** Fetches a conversation the store does not know yet (a message for it arrived) and inserts it. */
  function ensureConversation(id: string): Promise<Conversation> {
    const known = get(id);
    if (known) return Promise.resolve(known.conversation);
    let pending = fetching.get(id);
    if (!pending) {
      pending = http
        .getConversation(id)
        .then(insert)
        .finally(() => fetching.delete(id));
      fetching.set(id, pending);
    }
    return pending;
  }

  /**
   * Makes a conversation's messages contiguous (with `tail`: up to the server's latest too) with
   * `messages?after=`. One run at a time per conversation; a request during a run makes it run again.
   */
  function sync(id: string, tail: boolean): Promise<void> {
    const running = syncs.get(id);
    if (running) {
      running.again = true;
      running.tail ||= tail;
      return running.promise;
    }
    const entry = { promise: Promise.resolve(), again: true, tail };
    syncs.set(id, entry);
    entry.promise = (async () => {
      try {
        while (entry.again && !closed) {
          entry.again = false;
          let tailDone = !entry.tail;
          entry.tail = false;
          // Bounded: every round fills something or stops.
          for (let round = 0; round < 1000 && !closed; round++) {
            const cs = get(id);
            if (!cs) break;
            const gap = firstGap(cs);
            const after = gap ?? (tailDone || (!cs.loaded && !lastConfirmedSeq(cs)) ? null : lastConfirmedSeq(cs));
            if (after === null) break;
            log(gap !== null ? `gap fill: conversation ${id} after seq ${after}` : `catch-up: conversation ${id} after seq ${after}`);
            const page = await http.listMessages(id, { after, limit: LIMITS.pageMax });
            merge(id, page.messages);
            if (!page.messages.length && gap !== null) break; // the server has nothing there: stop, do not loop
            if (gap === null && (!page.hasMore || !page.messages.length)) tailDone = true;
          }
        }
      } finally {
        syncs.delete(id);
      }
    })();
    return entry.promise;
  }

  const fillGaps = (id: string) => {
    const cs = get(id);
    if (cs && firstGap(cs) !== null) sync(id, false).catch((e) => report(e, { conversationId: id }));
  };

  // ---------------------------------------------------------------- read receipts

  const isVisible = () => typeof document === 'undefined' || document.visibilityState !== 'hidden';

  /** While a conversation is active and visible, what arrives is read: debounced, cursor forward only. */
  function scheduleAutoRead(id: string) {
    if (closed || snapshot().activeConversationId !== id || !isVisible()) return;
    clearTimeout(readTimers.get(id));
    readTimers.set(
      id,
      setTimeout(() => {
        readTimers.delete(id);
        const cs = get(id);
        if (!cs || snapshot().activeConversationId !== id || !isVisible()) return;
        const seq = lastConfirmedSeq(cs);
        if (!seq || (seq <= cs.conversation.lastReadSeq && !cs.conversation.unreadCount)) return;
        if ((readRequested.get(id) ?? 0) >= seq) return;
        readRequested.set(id, seq);
        markRead(id, seq).catch((error) => {
          readRequested.delete(id);
          report(error, { conversationId: id });
        });
      }, timings.readDebounce),
    );
  }

  async function markRead(id: string, seq?: number) {
    const cs = get(id);
    if (cs) {
      const target = seq ?? Math.max(cs.conversation.lastSeq, lastConfirmedSeq(cs));
      if (target <= cs.conversation.lastReadSeq && !cs.conversation.unreadCount) return;
      dispatch((s) => applyOwnRead(s, id, target));
    }
    const reply = await sendRead(id, seq);
    dispatch((s) => applyOwnRead(s, id, reply.lastReadSeq, reply.unreadCount));
  }

  // The cursor was moved here already (optimistically): a read the server never got would leave this
  // client ahead of the server and of the other participants for good, so passing failures are
  // retried (moving a cursor forward again is harmless).
  async function sendRead(id: string, seq: number | undefined, attempt = 1): Promise<ReadResponse> {
    try {
      return await http.markRead(id, seq);
    } catch (error) {
      const code = toBanterError(error).code;
      if (closed || attempt >= 6 || !(code === 'network' || code === 'unavailable' || code === 'rate_limited')) throw error;
      await new Promise((resolve) => setTimeout(resolve, timings.sendBackoff(attempt)));
      return sendRead(id, seq, attempt + 1);
    }
  }

  const onVisibility = () => {
    const active = snapshot().activeConversationId;
    if (active) scheduleAutoRead(active);
  };
  const resumeAll = () => {
    for (const id of queues.keys()) {
      clearTimeout(waiting.get(id)?.timer);
      waiting.delete(id);
      void pump(id);
    }
  };
  // Browsers only; Node and workers have neither.
  globalThis.document?.addEventListener?.('visibilitychange', onVisibility);
  globalThis.window?.addEventListener?.('online', resumeAll);

  // ---------------------------------------------------------------- sending

  const dequeue = (id: string, clientId: string) => {
    const queue = queues.get(id) ?? [];
    if (queue.includes(clientId)) queue.splice(queue.indexOf(clientId), 1);
    if (!queue.length) queues.delete(id);
  };

  async function pump(id: string): Promise<void> {
    // Offline ('unavailable' is pusher-js's "probably no internet"): everything waits, in order, for
    // the connection to come back, as the widget's offline banner promises.
    if (closed || inFlight.has(id) || waiting.has(id) || transportState === 'offline' || transportState === 'unavailable') return;
    if (globalThis.navigator?.onLine === false) return;
    const clientId = queues.get(id)?.[0];
    if (clientId === undefined) return;
    const message = get(id)?.messages.find((m) => m.seq === null && m.clientId === clientId);
    if (message?.status !== 'sending') {
      dequeue(id, clientId);
      return pump(id);
    }
    inFlight.set(id, clientId);
    try {
      const stored = await http.sendMessage(id, { clientId, body: message.body });
      sendFailures.delete(id);
      dequeue(id, clientId);
      merge(id, [stored]);
      fillGaps(id);
    } catch (error) {
      const e = toBanterError(error);
      // A server restarting or its database briefly gone (503), or too many sends (429), passes:
      // keep the message in line like a network failure instead of failing it (the chaos run's
      // restarts left sends 'failed' for the user to retry). The clientId makes a resend safe.
      const transient = e.code === 'network' || e.code === 'unavailable' || e.code === 'rate_limited';
      if (!transient || closed) {
        sendFailures.delete(id);
        dequeue(id, clientId);
        dispatch((s) => setPendingStatus(s, id, clientId, 'failed', e));
        report(e, { clientId, conversationId: id });
      } else {
        // No answer (or a passing refusal): the message stays first in line for a later attempt or the reconnection.
        const attempt = (sendFailures.get(id) ?? 0) + 1;
        sendFailures.set(id, attempt);
        const delay = timings.sendBackoff(attempt);
        log(`send retry: conversation ${id}, message ${clientId}, attempt ${attempt + 1} in ${delay} ms (${e.message})`);
        const timer = setTimeout(() => {
          waiting.delete(id);
          void pump(id);
        }, delay);
        waiting.set(id, { timer });
      }
    } finally {
      inFlight.delete(id);
    }
    return pump(id);
  }

  function enqueue(id: string, clientId: string) {
    queues.set(id, [...(queues.get(id) ?? []), clientId]);
    void pump(id);
  }

  function send(conversationId: string, body: string): LocalMessage {
    // What the server would refuse fails here, visibly, without a request.
    const invalid = !body.trim()
      ? 'a message needs some text'
      : body.length > LIMITS.messageLength
        ? `messages are at most ${LIMITS.messageLength} characters`
        : null;
    const message: LocalMessage = {
      id: null,
      seq: null,
      conversationId,
      senderId: snapshot().me?.id ?? '',
      clientId: uuid(),
      body,
      createdAt: new Date().toISOString(),
      editedAt: null,
      deletedAt: null,
      status: invalid ? 'failed' : 'sending',
      ...(invalid ? { error: new BanterError('validation_failed', `unable to send message; ${invalid}`) } : {}),
    };
    const add = () => {
      dispatch((s) => addPending(s, message));
      if (message.error) report(message.error, { clientId: message.clientId, conversationId });
      else enqueue(conversationId, message.clientId);
    };
    if (get(conversationId)) add();
    else ensureConversation(conversationId).then(add, (e) => report(e, { clientId: message.clientId, conversationId }));
    return message;
  }

  // ---------------------------------------------------------------- startup and realtime

  const ready = (async () => {
    const { user } = await http.me();
    if (closed) return;
    dispatch((s) => setMe(s, user));
    void (async () => {
      if (!core.connectRealtime) return setConnectionState('connected');
      try {
        const [transport, { startRealtimeSession }] = await Promise.all([
          core.connectRealtime(),
          import('./realtime-session'),
        ]);
        if (closed) return transport.close();
        // Loaded only with debug: true, so it costs the default bundle nothing.
        const watched = core.debug ? (await import('./debug-transport')).withSubscriptionLog(transport, log) : transport;
        if (closed) return transport.close();
        const onState = (state: ConnectionState) => {
          transportState = state;
          setConnectionState(state);
        };
        transport.onStateChange(onState);
        onState(transport.state);
        session = startRealtimeSession(
          {
            http,
            snapshot,
            dispatch,
            emit: events.emit,
            report,
            merge,
            ensureConversation,
            sync,
            fillGaps,
            scheduleAutoRead,
            listLoaded: () => listLoaded,
            typingExpiry: timings.typingExpiry,
          },
          watched,
          user,
        );
      } catch (error) {
        setConnectionState('offline');
        report(toBanterError(error, 'unable to start the realtime connection'));
      }
    })();
  })();
  ready.catch((error) => {
    setConnectionState('offline');
    report(error);
  });

  // ---------------------------------------------------------------- public API

  async function list(options: { cursor?: string | null; limit?: number } = {}): Promise<ConversationPage> {
    const { cursor, limit = LIMITS.pageDefault } = options;
    const page = await http.listConversations(cursor ? { limit, cursor } : { limit });
    const extendsList = !cursor || cursor === listCursor;
    if (extendsList) {
      listCursor = page.nextCursor;
      listLoaded = true;
    }
    dispatch((s) => upsertConversations(s, page.conversations, extendsList ? page.nextCursor !== null : undefined));
    return page;
  }

  function insert(conversation: Conversation) {
    dispatch((s) => upsertConversations(s, [conversation]));
    return get(conversation.id)?.conversation ?? conversation;
  }

  async function load(id: string) {
    await ensureConversation(id);
    if (get(id)!.loaded) {
      // Already shown: fetch only what came since, so the list stays contiguous.
      await sync(id, true);
    } else {
      const page = await http.listMessages(id, { limit: LIMITS.pageDefault });
      merge(id, page.messages, lowerBound(page));
      await sync(id, false);
    }
    scheduleAutoRead(id);
  }

  return {
    ready,
    get me() {
      return snapshot().me;
    },
    store: { subscribe: store.subscribe, getSnapshot: snapshot },
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
      create: async (options) => insert(await http.createConversation(options)),
      get: async (id) => insert(await http.getConversation(id)),
    },
    messages: {
      load,
      async loadOlder(id) {
        const cs = get(id);
        if (!cs?.loaded) {
          await load(id);
          return !!get(id)?.hasOlder;
        }
        const first = cs.syncedFrom ?? 1;
        // One page at a time: an infinite scroll fires often.
        if (first <= 1 || cs.loadingOlder) return first > 1;
        dispatch((s) => setLoadingOlder(s, id, true));
        try {
          const page = await http.listMessages(id, { before: first, limit: LIMITS.pageDefault });
          merge(id, page.messages, lowerBound(page));
        } finally {
          dispatch((s) => setLoadingOlder(s, id, false));
        }
        return !!get(id)?.hasOlder;
      },
      send,
      retry(clientId) {
        const message = findPending(snapshot(), clientId);
        // A message refused before any request (empty, too long) stays failed.
        if (message?.status !== 'failed' || message.error?.status === 400) return;
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
    setActiveConversation(id) {
      dispatch((s) => setActiveConversation(s, id));
      session?.setActive(id);
      if (id) scheduleAutoRead(id);
    },
    typing(id) {
      const me = snapshot().me;
      const now = Date.now();
      // Typing travels on the active conversation's presence channel only.
      if (!me || !session || snapshot().activeConversationId !== id) return;
      if (now - (typingSentAt.get(id) ?? -Infinity) < timings.typingThrottle) return;
      typingSentAt.set(id, now);
      session.typing(id, me.id);
    },
    on: events.on,
    close() {
      if (closed) return;
      closed = true;
      session?.close();
      for (const t of readTimers.values()) clearTimeout(t);
      for (const w of waiting.values()) clearTimeout(w.timer);
      globalThis.document?.removeEventListener?.('visibilitychange', onVisibility);
      globalThis.window?.removeEventListener?.('online', resumeAll);
      setConnectionState('offline');
      events.clear();
    },
  };
}
