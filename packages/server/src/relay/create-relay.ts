import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { createRedisBus } from './cluster';
import { CLOSE } from './codes';
import { createHttpApi } from './http-api';
import { Hub } from './hub';
import { DEFAULT_ACTIVITY_TIMEOUT, DEFAULT_LIMITS, exceedsBytes } from './limits';
import { withTimeout } from '../util/with-timeout';
import { type AppState, RelaySocket } from './relay-socket';
import type { PublishOptions, Relay, RelayOptions, RelayStats, WebhookOptions } from './types';
import { createWebhookSender, type WebhookSender } from './webhooks';
import { createWebSocketHandler } from './websocket';

/** How long close() waits for clients to acknowledge the close frame before cutting them off. */
const CLOSE_GRACE_MS = 1000;

/**
 * A Pusher Channels protocol 7 server: pusher-js, Laravel Echo and the `pusher` SDK work against it
 * as against Pusher. Attach it to the host's HTTP server or let it listen on its own port.
 *
 * @example
 * const relay = createRelay({ apps: [{ id: 'app', key: 'key', secret: 'secret' }] });
 * const { port } = await relay.listen(6001, '127.0.0.1');
 * relay.publish('private-user.42', 'message.created', { conversationId, seq: 7 });
 * await relay.close();
 *
 * @example
 * // One port for the API and the relay.
 * const server = http.createServer((req, res) => relay.handleHttp(req, res) || api(req, res));
 * relay.attach(server);
 */
export function createRelay(options: RelayOptions): Relay {
  if (options.apps.length === 0) throw new Error('createRelay needs at least one app');
  for (const app of options.apps) {
    if (!app.id || !app.key || !app.secret) throw new Error('every relay app needs an id, a key and a secret');
  }
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const activityTimeout = options.activityTimeout ?? DEFAULT_ACTIVITY_TIMEOUT;
  const senders: WebhookSender[] = [];
  const counters = { webhooksSent: 0, webhookFailures: 0 };
  const sender = (webhooks: WebhookOptions) => {
    const created = createWebhookSender(webhooks, counters);
    senders.push(created);
    return created;
  };
  const shared = options.webhooks ? sender(options.webhooks) : null;
  const hub = new Hub(options.apps, limits, (app) => (app.webhooks ? sender(app.webhooks) : shared));
  const clientIp = options.clientIp ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? '');
  const ws = createWebSocketHandler(hub, activityTimeout);
  const api = createHttpApi(
    hub,
    (state, input) => hub.broadcast(state, input.channels, input.name, input.data, input.socketId),
    (state, userId) => terminate(state, userId),
  );
  function terminate(state: AppState, userId: string): number {
    const closed = hub.users.terminate(state, userId);
    hub.bus?.terminate(state.app.id, userId);
    return closed;
  }
  if (options.cluster) {
    hub.bus = createRedisBus(options.cluster, {
      onPublish: (e) => {
        const state = hub.byId.get(e.app);
        if (state) hub.publish(state, e.channels, e.event, e.data, e.exclude, e.userId);
      },
      onTerminate: (app, userId) => {
        const state = hub.byId.get(app);
        if (state) hub.users.terminate(state, userId);
      },
      // ioredis reconnects by itself; events published meanwhile reach this process's sockets only.
      onError: (error) => options.onClusterError?.(error),
    });
  }
  const ready = hub.bus ? hub.bus.ready : Promise.resolve();
  const wss = new WebSocketServer({
    noServer: true,
    WebSocket: RelaySocket,
    maxPayload: limits.maxFrameBytes,
    // Compression costs ~300 KB per socket in zlib contexts; events are small anyway.
    perMessageDeflate: false,
    clientTracking: false,
  });
  const attached = new Set<Server>();
  let ownServer: Server | null = null;
  let closing: Promise<void> | null = null;

  // One sweep for all sockets instead of a timer each: ping those seen since the last sweep,
  // drop those that stayed silent for a whole period (no pong, no message).
  const sweep = setInterval(() => {
    for (const s of hub.sockets) {
      if (!s.alive) {
        hub.counters.droppedDeadConnections++;
        s.terminate();
        continue;
      }
      s.alive = false;
      s.ping();
    }
  }, activityTimeout * 1000);
  sweep.unref();
  // Pending sockets are closed within a quarter of the timeout after it passes.
  const pendingSweep = setInterval(() => ws.closeIdlePending(Date.now()), Math.max(50, limits.pendingTimeoutMs / 4));
  pendingSweep.unref();

  function onUpgrade(this: Server, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!(req.url ?? '').startsWith('/app/')) {
      // Another listener may serve this path; if none does, do not leave the client hanging.
      if (this.listenerCount('upgrade') === 1) socket.destroy();
      return;
    }
    if (closing) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (client) => ws.onConnection(client as RelaySocket, req, clientIp(req)));
  }

  function attach(server: Server): void {
    if (attached.has(server)) return;
    attached.add(server);
    server.on('upgrade', onUpgrade);
  }

  function listen(port: number, host?: string): Promise<{ port: number }> {
    if (ownServer) return Promise.reject(new Error('relay is already listening'));
    const server = createServer((req, res) => {
      if (api.handleHttp(req, res)) return;
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'not_found', message: 'Not a relay path' } }));
    });
    ownServer = server;
    attach(server);
    return ready.then(
      () =>
        new Promise((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, host, () => {
            server.off('error', reject);
            const address = server.address();
            resolve({ port: typeof address === 'object' && address ? address.port : port });
          });
        }),
    );
  }

  function publish(channels: string | readonly string[], event: string, data: unknown, opts: PublishOptions = {}): void {
    const state = opts.appId === undefined ? hub.apps[0]! : hub.byId.get(opts.appId);
    if (!state) throw new Error(`relay has no app ${opts.appId}`);
    const payload = typeof data === 'string' ? data : JSON.stringify(data);
    // Same bound as Pusher, so a deployment that works on the embedded relay works on Pusher too.
    if (exceedsBytes(payload, limits.maxEventDataBytes)) {
      throw new RangeError(`event ${event} data is over ${limits.maxEventDataBytes} bytes`);
    }
    hub.broadcast(state, typeof channels === 'string' ? [channels] : channels, event, payload, opts.excludeSocketId);
  }

  function terminateUser(userId: string, opts: { appId?: string } = {}): number {
    const state = opts.appId === undefined ? hub.apps[0]! : hub.byId.get(opts.appId);
    if (!state) throw new Error(`relay has no app ${opts.appId}`);
    return terminate(state, userId);
  }

  function stats(): RelayStats {
    return {
      connections: hub.sockets.size,
      pendingConnections: hub.pending.size,
      channels: hub.channelCount(),
      channelNameBytes: hub.channelNameBytes,
      subscriptions: hub.subscriptions,
      ...hub.counters,
      ...counters,
    };
  }

  async function shutdown(): Promise<void> {
    clearInterval(sweep);
    clearInterval(pendingSweep);
    const serverClosed = ownServer ? new Promise<void>((resolve) => ownServer!.close(() => resolve())) : Promise.resolve();
    const sockets = [...hub.sockets];
    for (const s of sockets) s.close(CLOSE.goingAway, 'Relay shutting down');
    const closed = sockets.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.readyState === RelaySocket.CLOSED) resolve();
          else s.once('close', () => resolve());
        }),
    );
    await withTimeout(Promise.all(closed), CLOSE_GRACE_MS, 'closing the sockets', { settle: true });
    for (const s of hub.sockets) s.terminate();
    for (const server of attached) server.off('upgrade', onUpgrade);
    attached.clear();
    ownServer?.closeAllConnections();
    await serverClosed;
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await Promise.all(senders.map((s) => s.close()));
    await hub.bus?.close();
  }

  return {
    apps: options.apps,
    limits,
    ready,
    attach,
    handleHttp: api.handleHttp,
    listen,
    publish,
    terminateUser,
    stats,
    close: () => (closing ??= shutdown()),
  };
}
