import { exceedsBytes } from '../relay/limits';
import type { Relay } from '../relay/types';
import type { BroadcastEvent, Broadcaster, RealtimeClientConfig } from './broadcaster';
import { BroadcasterError } from './broadcaster-error';

/**
 * A Broadcaster that hands events to the embedded relay in the same process: no HTTP hop,
 * no signing. The relay enforces Pusher's 10 KB data limit, so what works here works on Pusher;
 * an event over it is refused as Pusher would (a `BroadcasterError` with status 413).
 *
 * @example
 * const relay = createRelay({ apps: [{ id: 'banter', key: 'banter-key', secret }] });
 * const broadcaster = relayBroadcaster(relay); // clients connect to the API's host and port
 * const chat = createChatServer({ database, secret, broadcaster });
 */
export function relayBroadcaster(relay: Relay, clientConfig?: Partial<RealtimeClientConfig>): Broadcaster {
  const app = relay.apps[0]!;
  // Checked before anything of the call is published: a refused batch publishes nothing, so the
  // dispatcher's event-by-event retry cannot deliver its other events twice.
  function serialize(name: string, data: unknown): string {
    const payload = JSON.stringify(data);
    if (exceedsBytes(payload, relay.limits.maxEventDataBytes)) {
      throw new BroadcasterError(`relay refused ${name}: data is over ${relay.limits.maxEventDataBytes} bytes`, { status: 413 });
    }
    return payload;
  }
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
      relay.publish(channels, name, serialize(name, data), { excludeSocketId: opts?.socketId ?? null, appId: app.id });
    },
    async disconnectUser(userId) {
      relay.terminateUser(userId, { appId: app.id });
    },
    // In process: reachable whenever this code runs.
    async ping() {},
    async triggerBatch(events: BroadcastEvent[]) {
      const payloads = events.map((e) => serialize(e.name, e.data));
      events.forEach((e, i) => {
        relay.publish([e.channel], e.name, payloads[i]!, { excludeSocketId: e.socketId ?? null, appId: app.id });
      });
    },
  };
}
