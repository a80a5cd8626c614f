import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createChatServer, type ChatServer } from '../../server/src/chat-server';
import type { Broadcaster } from '../../server/src/realtime/broadcaster';
import { createRelay } from '@banter/server/relay';
import type { Relay } from '@banter/server/relay';
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

/** Web Request -> Response handler on a Node server (the node adapter is another engineer's; this is test-only). */
function nodeBridge(handler: (request: Request) => Promise<Response>) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
      else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    }
    const method = req.method ?? 'GET';
    const response = await handler(
      new Request(`http://${req.headers.host}${req.url}`, {
        method,
        headers,
        ...(body && method !== 'GET' && method !== 'HEAD' ? { body } : {}),
      }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}

export async function startChatStack(target: DatabaseTarget): Promise<ChatStack> {
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
  };
  // Bursts of hundreds of sends by one user are what these tests do on purpose: no per-user send limit.
  const chat = createChatServer({ database, secret: SECRET, basePath: '/api', broadcaster, onError: () => {}, rateLimits: false });
  await chat.ready;

  const api = nodeBridge(chat.handler);
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

  // The real outbox dispatcher delivers when the chat server has one; until then, the temporary pump.
  const hasDispatcher = !!(chat as { dispatcher?: unknown }).dispatcher;
  const stopPump = hasDispatcher
    ? async () => {}
    : startTemporaryOutboxPump(chat, (channel, event, data, socketId) =>
        relay.publish([channel], event, data, { excludeSocketId: socketId }),
      );
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
      await stopPump();
      await relay.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await chat.close();
      await database.close();
    },
  };
}

/**
 * TEMPORARY, test-only: the outbox dispatcher (another engineer's) does not exist yet, so nothing
 * delivers outbox rows. This pump reads undelivered rows in id order after every commit signal and
 * publishes them through the relay. Replace it with the real dispatcher once it is committed.
 */
function startTemporaryOutboxPump(
  chat: ChatServer,
  publish: (channel: string, event: string, data: string, socketId: string | null) => void,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const db = chat.db.kysely;
  const drain = async () => {
    while (!stopped) {
      const rows = await db
        .selectFrom('outbox')
        .select(['id', 'channel', 'event', 'payload', 'socket_id'])
        .where('delivered_at', 'is', null)
        .orderBy('id')
        .limit(500)
        .execute();
      if (rows.length === 0) return;
      for (const row of rows) {
        const data = typeof row.payload === 'string' ? row.payload : JSON.stringify(row.payload);
        try {
          publish(row.channel, row.event, data, row.socket_id);
        } catch {
          // A relay being restarted: the event is lost, exactly what clients must survive.
        }
      }
      await db
        .updateTable('outbox')
        .set({ delivered_at: new Date().toISOString() } as never)
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
    }
  };
  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain()
      .catch(() => {})
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          kick();
        }
      });
  };
  const unsubscribe = chat.outboxSignal.subscribe(kick);
  // A slow safety net, like the real dispatcher's poll.
  const timer = setInterval(kick, 200);
  return async () => {
    stopped = true;
    unsubscribe();
    clearInterval(timer);
    await running;
  };
}
