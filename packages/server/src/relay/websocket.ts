import { randomInt } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RawData, WebSocket } from 'ws';
import { createClientEvents } from './client-events';
import { CLOSE, ERROR } from './codes';
import { connectionEstablished, errorFrame, PONG } from './frames';
import type { Hub } from './hub';
import type { RelaySocket } from './relay-socket';
import { createSignin } from './signin';
import { createSubscriptions } from './subscribe';

/** Protocol versions the relay speaks (pusher-js 8 sends 7; 5 and 6 differ only in unused features). */
const PROTOCOLS = new Set(['5', '6', '7']);

let socketCounter = 0;

/**
 * The WebSocket half of the relay: the handshake, the connection's lifetime, and which handler
 * each message goes to. Listeners are shared functions bound per relay, not per socket: ws calls
 * them with `this` = the socket.
 */
export function createWebSocketHandler(hub: Hub, activityTimeout: number) {
  const subscriptions = createSubscriptions(hub);
  const clientEvent = createClientEvents(hub);
  const signin = createSignin(hub);

  function fail(s: RelaySocket, code: number, message: string): void {
    hub.send(s, errorFrame(code, message));
  }

  /** Refuse during the handshake: pusher-js reads the code of the pusher:error, then the close. */
  function refuse(s: RelaySocket, code: number, message: string): void {
    s.send(errorFrame(code, message));
    s.close(code, message);
  }

  function onConnection(s: RelaySocket, req: IncomingMessage, ip: string): void {
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
    const refusal = hub.admit(s, app, ip);
    if (refusal) return refuse(s, refusal.code, refusal.message);
    s.socketId = `${randomInt(1, 2 ** 31)}.${++socketCounter}`;
    s.onGone = onGone;
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

  function onGone(s: RelaySocket): void {
    hub.release(s);
  }

  function onClose(this: WebSocket): void {
    (this as RelaySocket).gone();
  }

  function onMessage(this: WebSocket, raw: RawData, isBinary: boolean): void {
    handleMessage(this as RelaySocket, raw, isBinary);
  }

  function handleMessage(s: RelaySocket, raw: RawData, isBinary: boolean): void {
    hub.counters.messagesIn++;
    s.alive = true;
    // Closing (its close frame came): its channels are already left, it must not join new ones.
    if (s.onGone === null) return;
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
        return subscriptions.subscribe(s, data);
      case 'pusher:unsubscribe':
        return subscriptions.unsubscribe(s, data);
      case 'pusher:signin':
        return signin(s, data);
      default:
        if (event.startsWith('client-')) return clientEvent(s, event, channel, data);
        // Unknown pusher: events are ignored, as Pusher does.
        return;
    }
  }

  /** Closes the sockets that stayed pending past `pendingTimeoutMs`, oldest first. */
  function closeIdlePending(now: number): void {
    for (const s of hub.pending) {
      if (now - s.connectedAt < hub.limits.pendingTimeoutMs) break;
      hub.counters.droppedPendingConnections++;
      hub.pending.delete(s);
      s.close(CLOSE.inactive, 'Closed after inactivity: no subscription');
    }
  }

  return { onConnection, closeIdlePending };
}

/** A malformed %-escape in the URL must not throw inside ws's upgrade callback (it would crash the process). */
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
