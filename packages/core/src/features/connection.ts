import { toBanterError } from '../errors';
import type { User } from '../protocol/schemas';
import type { RealtimeTransport } from '../realtime';
import type { RealtimeSession, SessionHooks } from '../realtime-session';
import { setActiveConversation, setConnection } from '../reducer';
import type { ConnectionInfo, ConnectionState } from '../types';
import type { ClientContext } from './context';

/** What the connection needs from the other features. */
export interface ConnectionHooks extends SessionHooks {
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
      session = startRealtimeSession(ctx, hooks, watched, user);
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
      // Typing travels on the active conversation's presence channel only.
      if (me && snapshot().activeConversationId === id) session?.typing(id, me.id);
    },
    dispose() {
      session?.close();
      setState('offline');
    },
  };
}
