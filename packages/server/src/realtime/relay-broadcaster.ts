import type { Relay } from '../relay/types';
import type { BroadcastEvent, Broadcaster, RealtimeClientConfig } from './broadcaster';

/**
 * A Broadcaster that hands events to the embedded relay in the same process: no HTTP hop,
 * no signing. The relay enforces Pusher's 10 KB data limit, so what works here works on Pusher.
 *
 * @example
 * const relay = createRelay({ apps: [{ id: 'banter', key: 'banter-key', secret }] });
 * const broadcaster = relayBroadcaster(relay); // clients connect to the API's host and port
 * const chat = createChatServer({ database, secret, broadcaster });
 */
export function relayBroadcaster(relay: Relay, clientConfig?: Partial<RealtimeClientConfig>): Broadcaster {
  const app = relay.apps[0]!;
  return {
    app: { id: app.id, key: app.key, secret: app.secret },
    clientConfig: {
      key: app.key,
      // pusher-js insists on a cluster even with wsHost; any name does.
      cluster: 'banter',
      wsHost: null,
      wsPort: null,
      wssPort: null,
      forceTLS: false,
      ...clientConfig,
    },
    // In process, a batch is a loop: no request to keep small.
    maxBatchSize: 1000,
    async trigger(channels, name, data, opts) {
      relay.publish(channels, name, JSON.stringify(data), { excludeSocketId: opts?.socketId ?? null, appId: app.id });
    },
    // In process: reachable whenever this code runs.
    async ping() {},
    async triggerBatch(events: BroadcastEvent[]) {
      for (const e of events) {
        relay.publish([e.channel], e.name, JSON.stringify(e.data), { excludeSocketId: e.socketId ?? null, appId: app.id });
      }
    },
  };
}
