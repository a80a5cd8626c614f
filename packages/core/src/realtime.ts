import { toBanterError, type BanterError } from './errors';
import type { HttpApi } from './http';
import { conversationChannel, EVENTS, userChannel } from './protocol/channels';
import type { RealtimeConfig } from './protocol/schemas';
import type { ConnectionState, PusherConstructor } from './types';

/** What the client needs from a realtime connection; pusher-js in production, a fake in tests. */
export interface RealtimeTransport {
  readonly state: ConnectionState;
  onStateChange(listener: (state: ConnectionState) => void): () => void;
  /** Subscribes `private-user.<id>`; `subscribed` runs after every (re)subscription: the moment to catch up. */
  subscribeUser(
    userId: string,
    handlers: { event(name: string, data: unknown): void; subscribed(): void; error(error: BanterError): void },
  ): () => void;
  /** Joins `presence-conversation.<id>`: members and `client-typing`. */
  joinPresence(conversationId: string, handlers: { members(userIds: string[]): void; typing(userId: string): void }): PresenceHandle;
  close(): void;
}

export interface PresenceHandle {
  /** Sends `client-typing` (dropped until the subscription succeeded). */
  typing(userId: string): void;
  leave(): void;
}

const STATES: Record<string, ConnectionState> = {
  initialized: 'connecting',
  connecting: 'connecting',
  connected: 'connected',
  unavailable: 'unavailable',
  failed: 'offline',
  disconnected: 'offline',
};

/**
 * The pusher-js options for a Banter server. `wsHost: null` means "the API's host and port", with
 * TLS when the API URL is https.
 *
 * @example
 * new Pusher(config.key, pusherOptions('https://host.example/api', config, authorize));
 */
export function pusherOptions(
  url: string,
  config: RealtimeConfig,
  authorize: (socketId: string, channelName: string) => Promise<{ auth: string; channel_data?: string }>,
  signin?: (socketId: string) => Promise<{ auth: string; user_data: string }>,
): Record<string, unknown> {
  const base = typeof location === 'undefined' ? undefined : location.href;
  const api = new URL(url, base);
  const tls = api.protocol === 'https:' || api.protocol === 'wss:';
  const apiPort = api.port ? Number(api.port) : tls ? 443 : 80;
  const sameHost = config.wsHost === null || config.wsHost === undefined;
  return {
    cluster: config.cluster || 'mt1',
    wsHost: sameHost ? api.hostname : config.wsHost,
    wsPort: sameHost ? apiPort : (config.wsPort ?? 80),
    wssPort: sameHost ? apiPort : (config.wssPort ?? 443),
    forceTLS: sameHost ? tls : config.forceTLS,
    enabledTransports: ['ws', 'wss'],
    disableStats: true,
    // The same endpoint pusher-js would POST to (url + '/realtime/auth', form fields socket_id and
    // channel_name, bearer token), but through Banter's HTTP layer: it uses the injected fetch,
    // the current (refreshed) token and retries, and works in workers where XHR does not exist.
    channelAuthorization: {
      endpoint: `${url.replace(/\/+$/, '')}/${(config.authEndpoint || 'realtime/auth').replace(/^\/+/, '')}`,
      transport: 'ajax',
      customHandler: (
        params: { socketId: string; channelName: string },
        callback: (error: Error | null, data: { auth: string; channel_data?: string } | null) => void,
      ) => {
        authorize(params.socketId, params.channelName).then(
          (data) => callback(null, data),
          (error: unknown) => callback(toBanterError(error), null),
        );
      },
    },
    // pusher:signin as the Banter user (when GET /config names a user-auth endpoint), through the
    // same HTTP layer: the server can then close all of a banned user's connections at once.
    ...(signin && {
      userAuthentication: {
        endpoint: `${url.replace(/\/+$/, '')}/${(config.userAuthEndpoint || 'realtime/user-auth').replace(/^\/+/, '')}`,
        transport: 'ajax',
        customHandler: (
          params: { socketId: string },
          callback: (error: Error | null, data: { auth: string; user_data: string } | null) => void,
        ) => {
          signin(params.socketId).then(
            (data) => callback(null, data),
            (error: unknown) => callback(toBanterError(error), null),
          );
        },
      },
    }),
  };
}

/**
 * Connects pusher-js to a Banter server (or Pusher, Soketi, Reverb) as a {@link RealtimeTransport}.
 *
 * @example
 * const transport = connectPusher({ Pusher, url, config: await http.config(), http });
 */
export function connectPusher(options: {
  Pusher: PusherConstructor;
  url: string;
  config: RealtimeConfig;
  http: HttpApi;
}): RealtimeTransport {
  const pusher = new options.Pusher(
    options.config.key,
    pusherOptions(
      options.url,
      options.config,
      (socketId, channelName) => options.http.authorizeChannel(socketId, channelName),
      options.config.userAuthEndpoint ? (socketId) => options.http.authenticateUser(socketId) : undefined,
    ),
  );
  // pusher-js signs in again by itself after every reconnection.
  if (options.config.userAuthEndpoint) pusher.signin();
  const listeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = STATES[pusher.connection.state as string] ?? 'connecting';
  pusher.connection.bind('state_change', (change: { current: string }) => {
    const next = STATES[change.current] ?? 'connecting';
    if (next === state) return;
    state = next;
    for (const listener of [...listeners]) listener(next);
  });

  return {
    get state() {
      return state;
    },
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    subscribeUser(userId, handlers) {
      const name = userChannel(userId);
      const channel = pusher.subscribe(name);
      const onEvent = (event: string, data: unknown) => {
        if (event === 'pusher:subscription_succeeded' || event === 'pusher_internal:subscription_succeeded') return;
        if (event.startsWith('pusher:') || event.startsWith('pusher_internal:')) return;
        handlers.event(event, data);
      };
      channel.bind_global(onEvent);
      channel.bind('pusher:subscription_succeeded', () => handlers.subscribed());
      channel.bind('pusher:subscription_error', (error: unknown) => handlers.error(toBanterError(error, `unable to subscribe ${name}`)));
      return () => {
        channel.unbind_global(onEvent);
        channel.unbind('pusher:subscription_succeeded');
        channel.unbind('pusher:subscription_error');
        pusher.unsubscribe(name);
      };
    },
    joinPresence(conversationId, handlers) {
      const name = conversationChannel(conversationId);
      const channel = pusher.subscribe(name);
      const publish = () => {
        const ids: string[] = [];
        channel.members?.each((member: { id: string }) => ids.push(String(member.id)));
        handlers.members(ids.sort());
      };
      channel.bind('pusher:subscription_succeeded', publish);
      channel.bind('pusher:member_added', publish);
      channel.bind('pusher:member_removed', publish);
      channel.bind(EVENTS.typing, (data: { userId?: string } | undefined, metadata?: { user_id?: string }) => {
        // The relay stamps the real sender; the payload's userId is only a fallback.
        const userId = metadata?.user_id ?? data?.userId;
        if (typeof userId === 'string') handlers.typing(userId);
      });
      return {
        typing(userId) {
          if (channel.subscribed) channel.trigger(EVENTS.typing, { userId });
        },
        leave() {
          channel.unbind();
          pusher.unsubscribe(name);
        },
      };
    },
    close() {
      listeners.clear();
      pusher.disconnect();
    },
  };
}
