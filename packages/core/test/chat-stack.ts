import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Broadcaster, type ChatServer, type ChatServerOptions, createChatServer } from '@banter/server';
import { toNodeHandler } from '@banter/server/node';
import { createRelay, type Relay } from '@banter/server/relay';
import type { DatabaseTarget } from '@banter/server/testing';

const SECRET = 'core-integration-secret-at-least-32-characters';
const APP = { id: 'banter-test', key: 'banter-test-key', secret: 'banter-test-app-secret' };

/** The real stack in one process: chat server (under /api) + embedded relay on one HTTP port. */
export interface ChatStack {
  url: string;
  chat: ChatServer;
  relay(): Relay;
  /** Closes the relay (every client socket drops) and starts a fresh one on the same port. */
  restartRelay(): Promise<void>;
  /** Closes the relay; until startRelay, WebSocket upgrades are refused and events are lost. */
  stopRelay(): Promise<void>;
  startRelay(): void;
  token(userId: string): Promise<string>;
  /** A user id unique to this run. */
  userId(name: string): string;
  close(): Promise<void>;
}

/** `serverOptions`: more options of the chat server (a storage, upload limits...). */
export async function startChatStack(target: DatabaseTarget, serverOptions: Partial<ChatServerOptions> = {}): Promise<ChatStack> {
  const database = await target.create();
  let relay = createRelay({ apps: [APP] });
  // Bound to the current relay, so a restarted relay keeps receiving the events.
  const broadcaster: Broadcaster = {
    app: APP,
    clientConfig: { key: APP.key, cluster: 'banter', wsHost: null, wsPort: null, wssPort: null, forceTLS: false },
    maxBatchSize: 1000,
    async trigger(channels, name, data, opts) {
      relay.publish(channels, name, JSON.stringify(data), { excludeSocketId: opts?.socketId ?? null });
    },
    async triggerBatch(events) {
      for (const e of events) relay.publish([e.channel], e.name, JSON.stringify(e.data), { excludeSocketId: e.socketId ?? null });
    },
    // The relay speaks pusher:signin: clients sign in as their user (GET /config says so).
    async disconnectUser(userId) {
      relay.terminateUser(userId);
    },
  };
  // Bursts of hundreds of sends by one user are what these tests do on purpose: no per-user send limit.
  const chat = createChatServer({
    database,
    secret: SECRET,
    basePath: '/api',
    broadcaster,
    onError: () => {},
    rateLimits: false,
    ...serverOptions,
  });
  await chat.ready;

  // The server's own node:http adapter, as a host would mount it.
  const api = toNodeHandler(chat.handler);
  const server: Server = createServer((req, res) => {
    if (relay.handleHttp(req, res)) return;
    api(req, res).catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  relay.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  // The chat server's own outbox dispatcher delivers the events through the broadcaster above.
  if (!chat.dispatcher) throw new Error('the chat server runs no outbox dispatcher');
  const run = randomUUID().slice(0, 8);
  const stopRelay = () => relay.close();
  const startRelay = () => {
    relay = createRelay({ apps: [APP] });
    relay.attach(server);
  };

  return {
    url: `http://127.0.0.1:${port}/api`,
    chat,
    relay: () => relay,
    async restartRelay() {
      await stopRelay();
      startRelay();
    },
    stopRelay,
    startRelay,
    token: (userId) => chat.api.createUserToken(userId, { expiresIn: '1h', name: userId }),
    userId: (name) => `${name}-${run}`,
    async close() {
      await relay.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await chat.close();
      await database.close();
    },
  };
}
