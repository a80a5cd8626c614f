import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Broadcaster, type ChatServer, type ChatServerOptions, createChatServer } from '@banter/server';
import { toNodeHandler } from '@banter/server/node';
import { createRelay, type Relay } from '@banter/server/relay';
import type { DatabaseTarget } from '@banter/server/testing';
import Pusher from 'pusher-js';
import { afterAll, beforeAll } from 'vitest';
import { until } from '../../server/test/kit/until';
import { createChatClient } from '../src/client';
import type { ChatClient, ChatClientOptions } from '../src/types';

const SECRET = 'core-integration-secret-at-least-32-characters';
const APP = { id: 'banter-test', key: 'banter-test-key', secret: 'banter-test-app-secret' };

/** A connected client of `ChatStack.connect`. */
export interface StackClient {
  client: ChatClient;
  userId: string;
  /** The client's pusher-js, so a test can cut and restore its connection (none when `options.realtime` is given). */
  pusher(): Pusher;
}

export interface ConnectOptions extends Partial<ChatClientOptions> {
  /** Wait until the relay has signed the client in as its user (pusher:signin) too. */
  signedIn?: boolean;
}

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
  /**
   * A client as an app makes one (URL + token) for `userId(name)`, ready and connected; `options`
   * override the client's (`realtime: undefined`: pusher-js imported by the client itself). close() closes it.
   */
  connect(name: string, options?: ConnectOptions): Promise<StackClient>;
  /** Closes the clients of connect(), then the relay, the HTTP server, the chat server and the database. */
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

  const url = `http://127.0.0.1:${port}/api`;
  const userId = (name: string) => `${name}-${run}`;
  const token = (id: string) => chat.api.createUserToken(id, { expiresIn: '1h', name: id });
  const clients: ChatClient[] = [];

  return {
    url,
    chat,
    relay: () => relay,
    async restartRelay() {
      await stopRelay();
      startRelay();
    },
    stopRelay,
    startRelay,
    token,
    userId,
    async connect(name, { signedIn = false, ...options } = {}) {
      const id = userId(name);
      let pusher: Pusher | undefined;
      const client = createChatClient({
        url,
        token: await token(id),
        realtime: {
          Pusher: class extends Pusher {
            constructor(key: string, opts: ConstructorParameters<typeof Pusher>[1]) {
              super(key, opts);
              pusher = this as Pusher;
            }
          },
        },
        ...options,
      });
      clients.push(client);
      await client.ready;
      await until(`${name} connected`, () => client.connection.state === 'connected');
      if (signedIn) await until(`${name} signed in`, () => Boolean(pusher!.user.user_data));
      return { client, userId: id, pusher: () => pusher! };
    },
    async close() {
      for (const c of clients) c.close();
      await relay.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await chat.close();
      await database.close();
    },
  };
}

/**
 * Registers the hooks of a test file's describe block: the stack started on `target` before its
 * tests (two minutes allowed), closed after them. The stack answers in tests and in hooks registered
 * after this call.
 *
 * @example
 * const stack = useChatStack(target);
 * it('…', async () => { const alice = await stack.connect('alice'); });
 */
export function useChatStack(target: DatabaseTarget, serverOptions: Partial<ChatServerOptions> = {}): ChatStack {
  let started: ChatStack | undefined;
  beforeAll(async () => {
    started = await startChatStack(target, serverOptions);
  }, 120_000);
  afterAll(async () => {
    await started?.close();
  });
  const stack = () => {
    if (!started) throw new Error('the chat stack is not started yet: use it in a test or a later hook');
    return started;
  };
  return {
    get url() {
      return stack().url;
    },
    get chat() {
      return stack().chat;
    },
    relay: () => stack().relay(),
    restartRelay: () => stack().restartRelay(),
    stopRelay: () => stack().stopRelay(),
    startRelay: () => stack().startRelay(),
    token: (userId) => stack().token(userId),
    userId: (name) => stack().userId(name),
    connect: (name, options) => stack().connect(name, options),
    close: () => stack().close(),
  };
}
