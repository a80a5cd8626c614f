import Pusher from 'pusher';
import { withTimeout } from '../util/with-timeout';
import type { BroadcastEvent, Broadcaster, PusherConfig, RealtimeClientConfig } from './broadcaster';
import { BroadcasterError } from './broadcaster-error';

/** Pusher's limits: 100 channels per trigger, 10 events per batch. */
const MAX_CHANNELS_PER_TRIGGER = 100;
const MAX_BATCH = 10;

/**
 * A Broadcaster over the Pusher HTTP API, through the official `pusher` SDK: works with hosted
 * Pusher, Soketi, Laravel Reverb and Banter's relay running elsewhere. A non-2xx answer rejects
 * with the status and the service's explanation.
 *
 * @example
 * const broadcaster = pusherBroadcaster({ appId: '1', key: 'app-key', secret: 'app-secret', host: 'soketi', port: 6001, useTLS: false });
 * await broadcaster.trigger(['private-user.42'], 'message.created', { conversationId, seq });
 *
 * @example
 * // From the Laravel-style environment variables.
 * const config = broadcasterConfigFromEnv();
 * const broadcaster = config ? pusherBroadcaster(config) : relayBroadcaster(relay);
 */
export function pusherBroadcaster(config: PusherConfig): Broadcaster {
  const useTLS = config.useTLS ?? true;
  const client = config.host
    ? new Pusher({
        appId: config.appId,
        key: config.key,
        secret: config.secret,
        host: config.host,
        ...(config.port !== undefined ? { port: String(config.port) } : {}),
        useTLS,
      })
    : new Pusher({
        appId: config.appId,
        key: config.key,
        secret: config.secret,
        cluster: config.cluster ?? 'mt1',
        useTLS,
      });
  const cluster = config.cluster ?? 'mt1';
  const clientConfig: RealtimeClientConfig = config.host
    ? {
        key: config.key,
        cluster,
        wsHost: config.host,
        wsPort: config.port ?? (useTLS ? 443 : 80),
        wssPort: config.port ?? 443,
        forceTLS: useTLS,
        ...config.clientConfig,
      }
    : {
        // Hosted Pusher: pusher-js derives ws-<cluster>.pusher.com from the cluster.
        key: config.key,
        cluster,
        wsHost: `ws-${cluster}.pusher.com`,
        wsPort: 80,
        wssPort: 443,
        forceTLS: true,
        ...config.clientConfig,
      };

  async function send(what: string, request: () => Promise<{ status: number; text(): Promise<string> }>): Promise<void> {
    let res: { status: number; text(): Promise<string> };
    try {
      res = await request();
    } catch (error) {
      const e = error as { status?: number; body?: string; error?: unknown; message?: string };
      if (e.status !== undefined) {
        throw new BroadcasterError(`Pusher ${what} failed: HTTP ${e.status} ${truncate(e.body ?? '')}`, { status: e.status, cause: error });
      }
      const cause = e.error instanceof Error ? e.error.message : (e.message ?? String(error));
      throw new BroadcasterError(`Pusher ${what} failed: ${cause}`, { cause: error });
    }
    // The SDK only throws on >= 400; a redirect or other surprise is no delivery either.
    if (res.status < 200 || res.status >= 300) {
      const body = truncate(await res.text().catch(() => ''));
      throw new BroadcasterError(`Pusher ${what} failed: HTTP ${res.status} ${body}`, { status: res.status });
    }
  }

  // POST /apps/:id/users/:userId/terminate_connections, where the service has user authentication.
  const userAuthentication = config.userAuthentication ?? !config.host;
  const disconnectUser = async (userId: string) =>
    send(`terminate_connections of ${userId}`, () => client.terminateUserConnections(userId));

  return {
    app: { id: config.appId, key: config.key, secret: config.secret },
    clientConfig,
    maxBatchSize: MAX_BATCH,
    ...(userAuthentication ? { disconnectUser } : {}),
    async trigger(channels, name, data, opts) {
      const payload = JSON.stringify(data);
      for (let i = 0; i < channels.length; i += MAX_CHANNELS_PER_TRIGGER) {
        const chunk = channels.slice(i, i + MAX_CHANNELS_PER_TRIGGER);
        await send(`trigger of ${name}`, () =>
          client.trigger(chunk, name, payload, opts?.socketId ? { socket_id: opts.socketId } : undefined),
        );
      }
    },
    async ping(options = {}) {
      // The cheapest signed call: a wrong key or secret answers 401/403, a dead host never answers.
      const timeoutMs = options.timeoutMs ?? 2000;
      await withTimeout(
        send('GET /channels', () => client.get({ path: '/channels', params: {} })),
        timeoutMs,
        'Pusher GET /channels',
      );
    },
    async triggerBatch(events: BroadcastEvent[]) {
      for (let i = 0; i < events.length; i += MAX_BATCH) {
        const batch = events.slice(i, i + MAX_BATCH).map((e) => ({
          channel: e.channel,
          name: e.name,
          data: JSON.stringify(e.data),
          ...(e.socketId ? { socket_id: e.socketId } : {}),
        }));
        await send(`batch trigger of ${batch.length} events`, () => client.triggerBatch(batch));
      }
    },
  };
}

function truncate(s: string): string {
  return s.length > 300 ? `${s.slice(0, 300)}...` : s;
}
