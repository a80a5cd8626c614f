import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRelay, type Relay } from '@banter/server/relay';
import type { DatabaseTarget } from '@banter/server/testing';
import { createChatServer, type ChatServer } from '../../../server/src/chat-server';
import { createDatabase, type Database } from '../../../server/src/db/create-database';
import { toNodeHandler } from '../../../server/src/entries/node';
import { enqueueEvents } from '../../../server/src/outbox/enqueue';
import type { Broadcaster } from '../../../server/src/realtime/broadcaster';
import { relayBroadcaster } from '../../../server/src/realtime/relay-broadcaster';

const SECRET = 'chaos-secret-that-is-at-least-32-characters';
const APP = { id: 'chaos', key: 'chaos-key', secret: 'chaos-app-secret' };

/**
 * The real stack with switches for every fault of the chaos run: one HTTP port serving the chat
 * API (under /api) and the embedded relay; the relay restarts, the broadcaster goes dark, the
 * server instance is killed and replaced on the same database, PostgreSQL connections are cut.
 */
export interface ChaosStack {
  url: string;
  dialect: 'postgres' | 'pglite';
  /** The instance serving requests now. */
  chat(): ChatServer;
  /** Truth queries (a connection the faults never touch). */
  truth: ChatServer['api'];
  admin: Database;
  restartRelay(): Promise<void>;
  /** While down, every trigger fails: the outbox holds the events, then drains. */
  setBroadcasterDown(down: boolean): void;
  /** Kill the serving instance (its deliveries fail, its connections close) and start another on the same database. */
  replaceInstance(): Promise<void>;
  /** pg_terminate_backend on every connection of the serving instance; PostgreSQL only (returns how many). */
  killConnections(): Promise<number>;
  /** An event of 12 KB (over every realtime service's limit) into the outbox of one conversation. */
  injectOversizedEvent(conversationId: string, userId: string): Promise<void>;
  /** Undelivered outbox rows (pending, not dead) and dead letters. */
  outbox(): Promise<{ pending: number; dead: number }>;
  token(userId: string): Promise<string>;
  close(): Promise<void>;
}

export async function startChaosStack(target: DatabaseTarget): Promise<ChaosStack> {
  const admin = await target.create();
  const run = randomUUID().slice(0, 8);
  const applicationName = `banter-chaos-${run}`;
  const url = process.env.TEST_DATABASE_URL;

  let relay: Relay = createRelay({ apps: [APP] });
  let broadcasterDown = false;

  /** Each instance gets its own broadcaster: a killed instance's one stays dead forever. */
  function instanceBroadcaster(): Broadcaster & { kill(): void } {
    let killed = false;
    const check = () => {
      if (killed) throw new Error('chaos: this server instance was killed');
      if (broadcasterDown) throw new Error('chaos: broadcaster unreachable');
    };
    return {
      app: APP,
      clientConfig: { key: APP.key, cluster: 'chaos', wsHost: null, wsPort: null, wssPort: null, forceTLS: false },
      maxBatchSize: 10,
      // The relay broadcaster of the relay running now: it refuses an event over 10 KB as Pusher does.
      async trigger(channels, name, data, opts) {
        check();
        await relayBroadcaster(relay).trigger(channels, name, data, opts);
      },
      async triggerBatch(events) {
        check();
        await relayBroadcaster(relay).triggerBatch(events);
      },
      kill() {
        killed = true;
      },
    };
  }

  function startInstance() {
    const database =
      admin.dialect === 'postgres'
        ? createDatabase({ url: withApplicationName(url!, applicationName), schema: admin.schema, maxConnections: 8 })
        : // PGlite is one connection: instances share the one Kysely over it, whose lock keeps transactions apart.
          admin;
    const broadcaster = instanceBroadcaster();
    const chat = createChatServer({
      database,
      secret: SECRET,
      basePath: '/api',
      broadcaster,
      // Quick retries so a dark broadcaster drains within seconds of coming back.
      dispatcher: { pollIntervalMs: 300, backoffBaseMs: 100, backoffCapMs: 1000, maxAttempts: 1000, closeTimeoutMs: 200 },
      onError: () => {},
    });
    return { chat, broadcaster, database };
  }

  let instance = startInstance();
  await instance.chat.ready;
  const truthInstance = createChatServer({ database: admin, secret: SECRET, dispatch: false, onError: () => {} });
  await truthInstance.ready;

  const node = toNodeHandler((request) => instance.chat.handler(request));
  const server: Server = createServer((req, res) => {
    if (relay.handleHttp(req, res)) return;
    void node(req, res);
  });
  relay.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const zombies: Promise<unknown>[] = [];

  return {
    url: `http://127.0.0.1:${port}/api`,
    dialect: admin.dialect,
    chat: () => instance.chat,
    truth: truthInstance.api,
    admin,
    async restartRelay() {
      await relay.close();
      relay = createRelay({ apps: [APP] });
      relay.attach(server);
    },
    setBroadcasterDown(down) {
      broadcasterDown = down;
    },
    async replaceInstance() {
      const old = instance;
      old.broadcaster.kill();
      instance = startInstance();
      // A connection kill can land on the new instance's migration check: it tries again on its next
      // request (as a real server does), so the replacement stands; it was counted as failed before.
      await instance.chat.ready.catch(() => {});
      // The old one dies in the background: its pool closes under whatever it was doing.
      zombies.push(
        old.chat
          .close()
          .catch(() => {})
          .then(() => (old.database === admin ? undefined : old.database.close().catch(() => {}))),
      );
    },
    async killConnections() {
      if (!admin.pool) return 0;
      const { rows } = await admin.pool.query(
        'select pg_terminate_backend(pid) as killed from pg_stat_activity where application_name = $1',
        [applicationName],
      );
      return rows.length;
    },
    async injectOversizedEvent(conversationId, userId) {
      const payload = { conversationId, filler: 'x'.repeat(12_000) };
      await admin.kysely
        .transaction()
        .execute((trx) =>
          enqueueEvents(trx, [{ conversationId, channel: `private-user.${userId}`, event: 'chaos.oversized', payload }], admin.dialect),
        );
      instance.chat.outboxSignal.notify();
    },
    async outbox() {
      const row = await admin.kysely
        .selectFrom('outbox')
        .select((eb) => [
          eb.fn.countAll().filterWhere('delivered_at', 'is', null).filterWhere('dead_at', 'is', null).as('pending'),
          eb.fn.countAll().filterWhere('dead_at', 'is not', null).as('dead'),
        ])
        .executeTakeFirstOrThrow();
      return { pending: Number(row.pending), dead: Number(row.dead) };
    },
    token: (userId) => instance.chat.api.createUserToken(userId, { expiresIn: '1h', name: userId }),
    async close() {
      await relay.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(zombies);
      await instance.chat.close();
      if (instance.database !== admin) await instance.database.close();
      await truthInstance.close();
      await admin.close();
    },
  };
}

function withApplicationName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('application_name', name);
  return parsed.toString();
}
