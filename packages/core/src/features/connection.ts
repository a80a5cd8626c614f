import { toBanterError } from '../errors';
import type { User } from '../protocol/schemas';
import type { RealtimeTransport } from '../realtime';
import type { RealtimeSession } from '../realtime-session';
import { setActiveConversation, setConnection } from '../reducer';
import type { ConnectionInfo, ConnectionState } from '../types';
import type { ClientContext } from './context';
import type { ConversationSync } from './conversation-sync';

/** What the connection needs from the other features. */
export interface ConnectionHooks {
  conversations: ConversationSync;
  /** A message arrived or loaded in a conversation: maybe read now. */
  scheduleRead(conversationId: string): void;
  /** The connection is back: queued sends go out. */
  resume(): void;
}

/**
 * The realtime connection: its state and history, starting the transport and the realtime session
 * (both loaded lazily), the active conversation's presence channel and throttled typing.
 *
 * @example
 * const connection = createConnection(ctx, hooks, () => transport, false);
 * connection.start(me);
 */
export function createConnection(
  ctx: ClientContext,
  hooks: ConnectionHooks,
  connectRealtime: (() => Promise<RealtimeTransport>) | null,
  debug: boolean,
) {
  const { dispatch, snapshot } = ctx;
  const history: { state: ConnectionState; at: number }[] = [{ state: 'connecting', at: Date.now() }];
  const typingSentAt = new Map<string, number>();
  let session: RealtimeSession | null = null;
  let transportState: ConnectionState | null = null;

  function setState(next: ConnectionState) {
    const previous = snapshot().connection;
    if (previous === next) return;
    dispatch((s) => setConnection(s, next));
    history.push({ state: next, at: Date.now() });
    if (history.length > 20) history.shift();
    ctx.log(`connection ${previous} -> ${next}`);
    ctx.events.emit('connection', { previous, current: next });
    if (next === 'connected') hooks.resume();
  }

  async function start(user: User) {
    if (!connectRealtime) return setState('connected');
    try {
      const [transport, { startRealtimeSession }] = await Promise.all([connectRealtime(), import('../realtime-session')]);
      if (ctx.closed) return transport.close();
      // Loaded only with debug: true, so it costs the default bundle nothing.
      const watched = debug ? (await import('../debug-transport')).withSubscriptionLog(transport, ctx.log) : transport;
      if (ctx.closed) return transport.close();
      const onState = (state: ConnectionState) => {
        transportState = state;
        setState(state);
      };
      transport.onStateChange(onState);
      onState(transport.state);
      const { conversations } = hooks;
      session = startRealtimeSession(
        {
          ...ctx,
          emit: ctx.events.emit,
          merge: conversations.merge,
          ensureConversation: conversations.ensureConversation,
          sync: conversations.sync,
          fillGaps: conversations.fillGaps,
          scheduleAutoRead: hooks.scheduleRead,
          listLoaded: conversations.listLoaded,
        },
        watched,
        user,
      );
    } catch (error) {
      setState('offline');
      ctx.report(toBanterError(error, 'unable to start the realtime connection'));
    }
  }

  const info: ConnectionInfo = {
    get state() {
      return snapshot().connection;
    },
    get history() {
      return history.slice();
    },
    subscribe: (listener) => ctx.events.on('connection', listener),
  };

  return {
    info,
    setState,
    start,
    // 'unavailable' is pusher-js's "probably no internet".
    offline: () => transportState === 'offline' || transportState === 'unavailable',
    setActive(id: string | null) {
      dispatch((s) => setActiveConversation(s, id));
      session?.setActive(id);
    },
    typing(id: string) {
      const me = snapshot().me;
      const now = Date.now();
      // Typing travels on the active conversation's presence channel only.
      if (!me || !session || snapshot().activeConversationId !== id) return;
      if (now - (typingSentAt.get(id) ?? -Infinity) < ctx.timings.typingThrottle) return;
      typingSentAt.set(id, now);
      session.typing(id, me.id);
    },
    dispose() {
      session?.close();
      setState('offline');
    },
  };
}
