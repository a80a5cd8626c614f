import { isTransient, type BanterError } from './errors';
import type { HttpApi } from './http';
import { EVENTS } from './protocol/channels';
import { LIMITS } from './protocol/limits';
import type {
  Conversation,
  ConversationReadEvent,
  ConversationUpdatedEvent,
  Message,
  MessageCreatedEvent,
  User,
} from './protocol/schemas';
import type { PresenceHandle, RealtimeTransport } from './realtime';
import { lastConfirmedSeq, upsertConversations } from './reducer';
import { applyOwnRead } from './reducer-messages';
import { applyRead, setOnline, setTyping } from './reducer-realtime';
import type { Platform } from './platform';
import type { ChatClientEvents, ChatState, ClientTimings } from './types';

/** What the realtime session needs from the client core. */
export interface SessionContext {
  http: HttpApi;
  snapshot(): ChatState;
  dispatch(update: (state: ChatState) => ChatState): void;
  emit<E extends keyof ChatClientEvents>(event: E, payload: ChatClientEvents[E]): void;
  report(error: unknown, extra?: { conversationId?: string }): void;
  merge(conversationId: string, messages: Message[]): void;
  ensureConversation(conversationId: string): Promise<Conversation>;
  /** Fills gaps (and with `tail`, everything after the last known message). */
  sync(conversationId: string, tail: boolean): Promise<void>;
  fillGaps(conversationId: string): void;
  scheduleAutoRead(conversationId: string): void;
  listLoaded(): boolean;
  timings: ClientTimings;
  platform: Platform;
}

export interface RealtimeSession {
  /** Joins the presence channel of the active conversation (leaving the previous one). */
  setActive(conversationId: string | null): void;
  typing(conversationId: string, userId: string): void;
  close(): void;
}

/**
 * Everything realtime events do to the store: merge `message.created` (or fetch it when the event
 * was too large to carry it), move read cursors, refresh conversations, catch up after every
 * (re)subscription, presence and typing. Loaded lazily, together with pusher-js.
 *
 * @example
 * const session = startRealtimeSession(context, transport, me);
 */
export function startRealtimeSession(ctx: SessionContext, transport: RealtimeTransport, me: User): RealtimeSession {
  const { http, dispatch, snapshot, platform } = ctx;
  let presence: { conversationId: string; handle: PresenceHandle } | null = null;
  const typingTimers = new Map<string, unknown>();

  async function onMessageCreated(event: MessageCreatedEvent) {
    const id = event.conversationId;
    await ctx.ensureConversation(id);
    if (event.message) ctx.merge(id, [event.message]);
    else {
      // Too large for the realtime service: the event only says where to look.
      ctx.merge(id, (await http.listMessages(id, { after: Math.max(0, event.seq - 1), limit: LIMITS.pageMax })).messages);
    }
    ctx.fillGaps(id);
    ctx.scheduleAutoRead(id);
  }

  function onRead(event: ConversationReadEvent) {
    // Our own cursor moved in another tab or device.
    dispatch((s) =>
      event.userId === me.id ? applyOwnRead(s, event.conversationId, event.lastReadSeq) : applyRead(s, event),
    );
    ctx.emit('read', event);
  }

  async function onUpdated(event: Partial<ConversationUpdatedEvent>) {
    const id = event.conversationId ?? event.conversation?.id;
    if (!id) return;
    // Too large for the realtime service (a big group, a long last message): fetch it.
    const conversation = event.conversation ?? (await http.getConversation(id));
    dispatch((s) => upsertConversations(s, [conversation]));
    ctx.emit('conversation', { conversation: snapshot().conversations[conversation.id]?.conversation ?? conversation });
    ctx.fillGaps(conversation.id);
  }

  /** After every (re)subscription of the user channel: what happened while we were away. */
  async function catchUp() {
    if (ctx.listLoaded()) {
      const page = await http.listConversations({ limit: LIMITS.pageDefault });
      dispatch((s) => upsertConversations(s, page.conversations));
    }
    const state = snapshot();
    const ids = state.conversationOrder.filter((id) => state.conversations[id]!.loaded || lastConfirmedSeq(state.conversations[id]!) > 0);
    const results = await Promise.allSettled(ids.map((id) => ctx.sync(id, true)));
    const failed = results.findIndex((r) => r.status === 'rejected');
    if (failed >= 0) throw (results[failed] as PromiseRejectedResult).reason;
  }

  // A catch-up that failed (the server restarting, its database briefly gone) is tried again with
  // backoff: otherwise what was said while we were away stayed unseen until the next reconnection,
  // a loss the chaos run found (the last messages of a conversation missing, with no gap to notice).
  let catchUpTimer: unknown;
  let catchUpAttempt = 0;
  let closed = false;
  function runCatchUp() {
    platform.clearTimeout(catchUpTimer);
    catchUp().then(
      () => {
        catchUpAttempt = 0;
      },
      (e) => {
        ctx.report(e);
        // Only what passes by itself is worth repeating; anything else waits for the next reconnection.
        if (!closed && isTransient(e)) catchUpTimer = platform.setTimeout(runCatchUp, Math.min(30_000, 500 * 2 ** catchUpAttempt++));
      },
    );
  }

  function onTyping(conversationId: string, userId: string) {
    if (userId === me.id) return;
    dispatch((s) => setTyping(s, conversationId, userId, true));
    ctx.emit('typing', { conversationId, userId });
    const key = `${conversationId} ${userId}`;
    platform.clearTimeout(typingTimers.get(key));
    typingTimers.set(
      key,
      platform.setTimeout(() => {
        typingTimers.delete(key);
        dispatch((s) => setTyping(s, conversationId, userId, false));
      }, ctx.timings.typingExpiry),
    );
  }

  const unsubscribe = transport.subscribeUser(me.id, {
    event(name, data) {
      (name === EVENTS.messageCreated
        ? onMessageCreated(data as MessageCreatedEvent)
        : name === EVENTS.conversationUpdated
          ? onUpdated(data as Partial<ConversationUpdatedEvent>)
          : Promise.resolve(name === EVENTS.conversationRead && onRead(data as ConversationReadEvent))
      ).catch((e) => ctx.report(e));
    },
    subscribed: () => {
      catchUpAttempt = 0;
      runCatchUp();
    },
    error: (error: BanterError) => ctx.report(error),
  });

  const session: RealtimeSession = {
    setActive(active) {
      if (presence && presence.conversationId !== active) {
        const left = presence.conversationId;
        presence.handle.leave();
        presence = null;
        dispatch((s) => setOnline(s, left, []));
      }
      if (!active || presence) return;
      presence = {
        conversationId: active,
        handle: transport.joinPresence(active, {
          members: (ids) => dispatch((s) => setOnline(s, active, ids)),
          typing: (userId) => onTyping(active, userId),
        }),
      };
    },
    typing(conversationId, userId) {
      if (presence?.conversationId === conversationId) presence.handle.typing(userId);
    },
    close() {
      closed = true;
      platform.clearTimeout(catchUpTimer);
      session.setActive(null);
      unsubscribe();
      for (const t of typingTimers.values()) platform.clearTimeout(t);
      transport.close();
    },
  };
  session.setActive(snapshot().activeConversationId);
  return session;
}
