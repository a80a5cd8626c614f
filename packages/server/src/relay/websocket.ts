import { randomInt } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import { CLOSE, ERROR } from './codes';
import {
  connectionEstablished,
  errorFrame,
  eventFrame,
  PONG,
  subscriptionError,
} from './frames';
import type { Hub } from './hub';
import { CHANNEL_NAME, exceedsBytes } from './limits';
import type { RelaySocket } from './relay-socket';
import { hmacHex, safeEqual } from './signatures';

/** Protocol versions the relay speaks (pusher-js 8 sends 7; 5 and 6 differ only in unused features). */
const PROTOCOLS = new Set(['5', '6', '7']);

let socketCounter = 0;

/**
 * The WebSocket half of the relay. Listeners are shared functions bound per relay, not per socket:
 * ws calls them with `this` = the socket.
 */
export function createWebSocketHandler(hub: Hub, activityTimeout: number) {
  const { limits } = hub;

  function fail(s: RelaySocket, code: number, message: string): void {
    hub.send(s, errorFrame(code, message));
  }

  /** Refuse during the handshake: pusher-js reads the code of the pusher:error, then the close. */
  function refuse(s: RelaySocket, code: number, message: string): void {
    s.send(errorFrame(code, message));
    s.close(code, message);
  }

  function onConnection(s: RelaySocket, req: IncomingMessage): void {
    s.on('error', onError);
    const url = req.url ?? '';
    const q = url.indexOf('?');
    const key = safeDecode(url.slice(5, q < 0 ? undefined : q));
    const protocol = q < 0 ? null : new URLSearchParams(url.slice(q + 1)).get('protocol');
    const app = hub.byKey.get(key);
    if (!app) return refuse(s, CLOSE.appUnknown, `App key ${key.slice(0, 64)} does not exist`);
    if (protocol === null) return refuse(s, CLOSE.noProtocol, 'No protocol version given');
    if (!PROTOCOLS.has(protocol)) {
      return refuse(s, CLOSE.unsupportedProtocol, `Unsupported protocol version ${protocol}`);
    }
    if (hub.sockets.size >= limits.maxConnections) {
      return refuse(s, CLOSE.overCapacity, 'Over capacity');
    }
    s.app = app;
    s.socketId = `${randomInt(1, 2 ** 31)}.${++socketCounter}`;
    hub.sockets.add(s);
    s.on('message', onMessage);
    s.on('pong', onPong);
    s.on('close', onClose);
    hub.send(s, connectionEstablished(s.socketId, activityTimeout));
  }

  function onError(this: WebSocket): void {
    // ws already closes the socket (1009 for an oversize frame, 1002 for a protocol error).
  }

  function onPong(this: WebSocket): void {
    (this as RelaySocket).alive = true;
  }

  function onClose(this: WebSocket): void {
    hub.sockets.delete(this as RelaySocket);
    hub.leaveAll(this as RelaySocket);
  }

  function onMessage(this: WebSocket, raw: RawData, isBinary: boolean): void {
    handleMessage(this as RelaySocket, raw, isBinary);
  }

  function handleMessage(s: RelaySocket, raw: RawData, isBinary: boolean): void {
    hub.counters.messagesIn++;
    s.alive = true;
    if (isBinary) return fail(s, ERROR.invalidMessage, 'Binary frames are not supported');
    let msg: unknown;
    try {
      msg = JSON.parse(raw.toString());
    } catch {
      return fail(s, ERROR.invalidMessage, 'Invalid JSON');
    }
    if (typeof msg !== 'object' || msg === null || typeof (msg as { event?: unknown }).event !== 'string') {
      return fail(s, ERROR.invalidMessage, 'A message is a JSON object with an "event" string');
    }
    const { event, channel, data } = msg as { event: string; channel?: unknown; data?: unknown };
    switch (event) {
      case 'pusher:ping':
        return hub.send(s, PONG);
      case 'pusher:pong':
        return;
      case 'pusher:subscribe':
        return subscribe(s, data);
      case 'pusher:unsubscribe': {
        const name = (data as { channel?: unknown } | null)?.channel;
        if (typeof name === 'string') hub.leave(s, name);
        return;
      }
      default:
        if (event.startsWith('client-')) return clientEvent(s, event, channel, data);
        // Unknown pusher: events (signin, cache...) are ignored, as older servers do.
        return;
    }
  }

  function subscribe(s: RelaySocket, data: unknown): void {
    const { channel: name, auth, channel_data: channelData } = (data ?? {}) as {
      channel?: unknown;
      auth?: unknown;
      channel_data?: unknown;
    };
    if (typeof name !== 'string' || !CHANNEL_NAME.test(name)) {
      hub.counters.refusedSubscriptions++;
      if (typeof name === 'string' && name.length <= 200) {
        return hub.send(s, subscriptionError(name, 'InvalidChannel', 'Invalid channel name', 400));
      }
      return fail(s, ERROR.invalidMessage, 'pusher:subscribe needs a valid channel name');
    }
    const refuse = (type: string, error: string, status: number) => {
      hub.counters.refusedSubscriptions++;
      hub.send(s, subscriptionError(name, type, error, status));
    };
    const app = s.app!;
    const presence = name.startsWith('presence-');
    const existing = s.channels?.has(name);
    if (!existing && (s.channels?.size ?? 0) >= limits.maxChannelsPerConnection) {
      return refuse('LimitReached', `At most ${limits.maxChannelsPerConnection} channels per connection`, 400);
    }
    if (presence || name.startsWith('private-')) {
      if (typeof auth !== 'string') return refuse('AuthError', `Missing auth for ${name}`, 401);
      if (presence && typeof channelData !== 'string') {
        return refuse('AuthError', `Missing channel_data for ${name}`, 401);
      }
      const signed = presence ? `${s.socketId}:${name}:${channelData}` : `${s.socketId}:${name}`;
      if (!safeEqual(auth, `${app.app.key}:${hmacHex(app.app.secret, signed)}`)) {
        return refuse('AuthError', `Invalid signature for ${name}`, 401);
      }
    }
    if (existing) {
      // Subscribing twice is harmless: confirm again, with the current members.
      return hub.send(s, succeeded(s, name));
    }
    if (!presence) {
      hub.join(s, name, null, null);
      return hub.send(s, succeeded(s, name));
    }
    let member: { user_id?: unknown; user_info?: unknown };
    try {
      member = JSON.parse(channelData as string) as typeof member;
    } catch {
      return refuse('AuthError', 'channel_data is not JSON', 400);
    }
    const rawId = member?.user_id;
    if ((typeof rawId !== 'string' && typeof rawId !== 'number') || rawId === '') {
      return refuse('AuthError', 'channel_data needs a user_id', 400);
    }
    const userId = String(rawId);
    const info = member.user_info;
    if (info !== undefined && exceedsBytes(JSON.stringify(info), limits.maxUserInfoBytes)) {
      return refuse('LimitReached', `user_info is over ${limits.maxUserInfoBytes} bytes`, 413);
    }
    const current = app.channels.get(name)?.members;
    if (current && !current.has(userId) && current.size >= limits.maxPresenceMembers) {
      return refuse('LimitReached', `At most ${limits.maxPresenceMembers} members per presence channel`, 403);
    }
    const { channel, newMember } = hub.join(s, name, userId, info);
    hub.send(s, succeeded(s, name));
    if (newMember) {
      const added = JSON.stringify({ user_id: userId, user_info: info });
      hub.fanout(channel, eventFrame('pusher_internal:member_added', name, added), s);
    }
  }

  function succeeded(s: RelaySocket, name: string): Buffer {
    const members = s.app!.channels.get(name)?.members;
    if (!members) return eventFrame('pusher_internal:subscription_succeeded', name, '{}');
    const hash: Record<string, unknown> = {};
    for (const [id, member] of members) hash[id] = member.info ?? null;
    const data = JSON.stringify({ presence: { ids: [...members.keys()], hash, count: members.size } });
    return eventFrame('pusher_internal:subscription_succeeded', name, data);
  }

  function clientEvent(s: RelaySocket, event: string, name: unknown, data: unknown): void {
    if (typeof name !== 'string' || !s.channels?.has(name)) {
      return fail(s, ERROR.invalidMessage, `Client event ${event.slice(0, 200)} rejected: not subscribed to that channel`);
    }
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
    if (++s.rateCount > limits.maxClientEventsPerSecond) {
      return fail(s, ERROR.rateLimited, `Client event rejected: more than ${limits.maxClientEventsPerSecond} per second`);
    }
    const payload = typeof data === 'string' ? data : JSON.stringify(data ?? {});
    if (exceedsBytes(payload, limits.maxEventDataBytes)) {
      return fail(s, ERROR.invalidMessage, `Client event rejected: data is over ${limits.maxEventDataBytes} bytes`);
    }
    hub.counters.clientEvents++;
    const channel = s.app!.channels.get(name)!;
    const userId = s.channels.get(name) ?? undefined;
    hub.fanout(channel, eventFrame(event, name, payload, userId), s);
    hub.webhooks?.push(s.app!.app, {
      name: 'client_event',
      channel: name,
      event,
      data: payload,
      socket_id: s.socketId,
      ...(userId !== undefined ? { user_id: userId } : {}),
    });
  }

  return { onConnection };
}

/** A malformed %-escape in the URL must not throw inside ws's upgrade callback (it would crash the process). */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
