import { ERROR } from './codes';
import { errorFrame } from './frames';
import type { Hub } from './hub';
import { exceedsBytes } from './limits';
import type { RelaySocket } from './relay-socket';

/**
 * `client-*` events: private and presence channels only, subscribed channels only, never echoed to
 * the sender, `user_id` added on presence, rate-limited per connection.
 */
export function createClientEvents(hub: Hub) {
  const { limits } = hub;
  const fail = (s: RelaySocket, code: number, message: string) => hub.send(s, errorFrame(code, message));

  return function clientEvent(s: RelaySocket, event: string, name: unknown, data: unknown): void {
    const state = s.app!;
    if (!state.settings.clientEvents) {
      return fail(s, ERROR.invalidMessage, `Client events are disabled for this app`);
    }
    if (typeof name !== 'string' || !s.channels?.has(name)) {
      return fail(s, ERROR.invalidMessage, `Client event ${event.slice(0, 200)} rejected: not subscribed to that channel`);
    }
    // Encrypted channels too: the relay cannot check what a client encrypted, and pusher-js never sends them there.
    if (!(name.startsWith('private-') || name.startsWith('presence-')) || name.startsWith('private-encrypted-')) {
      return fail(s, ERROR.invalidMessage, 'Client events are only allowed on private and presence channels');
    }
    if (event.length > limits.maxEventNameLength) {
      return fail(s, ERROR.invalidMessage, `Event names are at most ${limits.maxEventNameLength} characters`);
    }
    const now = Date.now();
    if (now - s.rateWindow >= 1000) {
      s.rateWindow = now;
      s.rateCount = 0;
    }
    const rate = state.settings.maxClientEventsPerSecond;
    if (++s.rateCount > rate) {
      return fail(s, ERROR.rateLimited, `Client event rejected: more than ${rate} per second`);
    }
    const payload = typeof data === 'string' ? data : JSON.stringify(data ?? {});
    if (exceedsBytes(payload, limits.maxEventDataBytes)) {
      return fail(s, ERROR.invalidMessage, `Client event rejected: data is over ${limits.maxEventDataBytes} bytes`);
    }
    hub.counters.clientEvents++;
    const channel = state.channels.get(name)!;
    const userId = s.channels.get(name) ?? undefined;
    hub.share(state, channel, event, payload, s, userId);
    state.webhooks?.push(state.app, {
      name: 'client_event',
      channel: name,
      event,
      data: payload,
      socket_id: s.socketId,
      ...(userId !== undefined ? { user_id: userId } : {}),
    });
  };
}
