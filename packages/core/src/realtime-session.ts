import { isTransient, type BanterError } from './errors';
import type { ClientContext } from './features/context';
import type { ConversationSync } from './features/conversation-sync';
import { EVENTS } from './protocol/channels';
import { LIMITS } from './protocol/limits';
import type { ParticipantRemovedEvent } from './protocol/participants';
import type { ConversationReadEvent, ConversationUpdatedEvent, MessageCreatedEvent, User } from './protocol/schemas';
import type { PresenceHandle, RealtimeTransport } from './realtime';
import { dropConversation, lastConfirmedSeq, upsertConversations } from './reducer';
import { applyOwnRead } from './reducer-messages';
import { applyRead, setOnline, setTyping } from './reducer-realtime';

/** What the realtime session needs from the client's other features. */
export interface SessionHooks {
  conversations: Pick<ConversationSync, 'merge' | 'ensureConversation' | 'sync' | 'fillGaps' | 'listLoaded'>;
  /** A message arrived in a conversation: maybe read now. */
  scheduleRead(conversationId: string): void;
}

export interface RealtimeSession {
  /** Joins the presence channel of the active conversation (leaving the previous one). */
  setActive(conversationId: string | null): void;
  /** Sends client-typing on the active conversation's channel, at most once per `typingThrottle`. */
  typing(conversationId: string, userId: string): void;
  close(): void;
}

/**
 * Everything realtime events do to the store: merge `message.created` (or fetch it when the event
 * was too large to carry it), move read cursors, refresh conversations, catch up after every
 * (re)subscription (a reconnection's reads the latest pages again too), presence and typing.
 * Loaded lazily, together with pusher-js.
 *
 * @example
 * const session = startRealtimeSession(ctx, { conversations, scheduleRead }, transport, me);
 */
export function startRealtimeSession(ctx: ClientContext, hooks: SessionHooks, transport: RealtimeTransport, me: User): RealtimeSession {
  const { http, dispatch, snapshot, platform } = ctx;
  const { conversations } = hooks;
  const typingSentAt = new Map<string, number>();
  let presence: { conversationId: string; handle: PresenceHandle } | null = null;
  const typingTimers = new Map<string, unknown>();

  async function onMessageCreated(event: MessageCreatedEvent) {
    const id = event.conversationId;
    await conversations.ensureConversation(id);
    if (event.message) conversations.merge(id, [event.message]);
    else {
      // Too large for the realtime service: the event only says where to look.
      conversations.merge(id, (await http.listMessages(id, { after: Math.max(0, event.seq - 1), limit: LIMITS.pageMax })).messages);
    }
    conversations.fillGaps(id);
    hooks.scheduleRead(id);
  }

  function onRead(event: ConversationReadEvent) {
    // Our own cursor moved in another tab or device.
    dispatch((s) => (event.userId === me.id ? applyOwnRead(s, event.conversationId, event.lastReadSeq) : applyRead(s, event)));
    ctx.events.emit('read', event);
  }

  async function onUpdated(event: Partial<ConversationUpdatedEvent>) {
    const id = event.conversationId ?? event.conversation?.id;
    if (!id) return;
    // Too large for the realtime service (a big group, a long last message): fetch it.
    const conversation = event.conversation ?? (await http.getConversation(id));
    dispatch((s) => upsertConversations(s, [conversation]));
    ctx.events.emit('conversation', { conversation: snapshot().conversations[conversation.id]?.conversation ?? conversation });
    conversations.fillGaps(conversation.id);
  }

  /** After every (re)subscription of the user channel: what happened while we were away. */
  async function catchUp() {
    if (conversations.listLoaded()) {
      const page = await http.listConversations({ limit: LIMITS.pageDefault });
      dispatch((s) => upsertConversations(s, page.conversations));
    }
    const state = snapshot();
    const ids = state.conversationOrder.filter((id) => state.conversations[id]!.loaded || lastConfirmedSeq(state.conversations[id]!) > 0);
    // After a reconnection, the latest page again: edits, deletions and reactions made while we were
    // away (their events are gone) show by version (reducer-messages.ts). The first subscription
    // has missed none: its pages were read just before.
    const refresh = async (id: string) => {
      if (subscriptions > 1) conversations.merge(id, (await http.listMessages(id, { limit: LIMITS.pageDefault })).messages);
    };
    const results = await Promise.allSettled(ids.map((id) => conversations.sync(id, true).then(() => refresh(id))));
    // One we were removed from while away (its participant.removed can come before we were back)
    // answers 404: it leaves the store, as with the event.
    const gone = (r: PromiseSettledResult<void>) => r.status === 'rejected' && r.reason?.code === 'not_found';
    dispatch((s) => ids.reduce((t, id, i) => (gone(results[i]!) ? dropConversation(t, id) : t), s));
    const failed = results.find((r) => r.status === 'rejected' && !gone(r));
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  // A catch-up that failed (the server restarting, its database briefly gone) is tried again with
  // backoff: otherwise what was said while we were away stayed unseen until the next reconnection,
  // a loss the chaos run found (the last messages of a conversation missing, with no gap to notice).
  let catchUpTimer: unknown;
  let catchUpAttempt = 0;
  // Subscriptions of the user channel so far: from the second on, each is a reconnection.
  let subscriptions = 0;
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
    ctx.events.emit('typing', { conversationId, userId });
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
          : Promise.resolve(
              name === EVENTS.conversationRead
                ? onRead(data as ConversationReadEvent)
                : name === EVENTS.participantRemoved
                  ? // Removed from a group (or left it in another tab): it leaves the store.
                    (data as ParticipantRemovedEvent).userId === me.id &&
                    dispatch((s) => dropConversation(s, (data as ParticipantRemovedEvent).conversationId))
                  : // Edits, deletes, reactions, threads: applied by a module loaded with the first one, in order.
                    /^(message|reaction|thread)\./.test(name) &&
                    import('./features/message-lifecycle').then((m) => m.onEvent(ctx, name, data)),
            )
      ).catch((e) => ctx.report(e));
    },
    subscribed: () => {
      catchUpAttempt = 0;
      subscriptions++;
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
      const now = Date.now();
      if (presence?.conversationId !== conversationId) return;
      if (now - (typingSentAt.get(conversationId) ?? -Infinity) < ctx.timings.typingThrottle) return;
      typingSentAt.set(conversationId, now);
      presence.handle.typing(userId);
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
