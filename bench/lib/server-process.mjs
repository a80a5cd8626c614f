// The server under test, in its own process: the chat server with the embedded relay on one port
// (as `banter serve` runs it), the relay alone, or a plain `ws` server (the floor and the baseline).
import { createServer } from 'node:http';
import { APP, SECRET, WebSocketServer, dist } from './common.mjs';
import { serve } from './rpc.mjs';
import { startDispatcher } from './dispatcher.mjs';

let closeAll = async () => {};
let chat = null;
let relay = null;

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

function closeServer(server) {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

// One loopback address opens every connection: the per-IP and pending caps would refuse them.
const BENCH_LIMITS = { maxConnections: 100_000, maxConnectionsPerIp: 100_000, maxPendingConnections: 100_000 };

const handlers = {
  /** mode: chat | relay | ws-echo | ws-idle */
  async start({ mode, database, delivery = 'default', pusher = null }) {
    if (mode === 'relay') {
      const { createRelay } = await import(dist('server', 'relay.js'));
      relay = createRelay({ apps: [APP], limits: BENCH_LIMITS });
      const { port } = await relay.listen(0, '127.0.0.1');
      closeAll = () => relay.close();
      return { port };
    }
    if (mode === 'ws-echo' || mode === 'ws-idle') {
      const server = createServer();
      // ws defaults, as a plain ws server would run (only compression off, as the relay does).
      const wss = new WebSocketServer({ server, perMessageDeflate: false });
      if (mode === 'ws-echo') wss.on('connection', (ws) => ws.on('message', (m) => ws.send(m, { binary: false })));
      const port = await listen(server);
      closeAll = async () => {
        for (const c of wss.clients) c.terminate();
        await closeServer(server);
      };
      return { port };
    }
    const { createChatServer, relayBroadcaster, pusherBroadcaster } = await import(dist('server', 'index.js'));
    const { createRelay } = await import(dist('server', 'relay.js'));
    const { toNodeHandler } = await import(dist('server', 'node.js'));
    if (pusher) return startOverPusher({ createChatServer, pusherBroadcaster, toNodeHandler, database, pusher });
    relay = createRelay({ apps: [APP], limits: BENCH_LIMITS });
    const broadcaster = relayBroadcaster(relay);
    chat = createChatServer({
      database: database.url ? { url: database.url, schema: database.schema, maxConnections: 10 } : {},
      secret: SECRET,
      // Under /api, as `banter serve` mounts it.
      basePath: '/api',
      broadcaster,
      // A load test comes from one address and a few users: the per-user send limits would refuse it.
      rateLimits: false,
      // Poll-only delivery, as the source design did it: no wake-up on commit, no LISTEN, 1 s poll.
      ...(delivery === 'poll' ? { dispatcher: { pollIntervalMs: 1000, wakeOnCommit: false, listen: false } } : {}),
      onError: (e) => console.error('[bench server]', e),
    });
    await chat.ready;
    const dispatcher = await startDispatcher(chat, broadcaster, delivery);
    const node = toNodeHandler(chat.handler);
    const server = createServer((req, res) => {
      if (relay.handleHttp(req, res)) return;
      node(req, res);
    });
    relay.attach(server);
    const port = await listen(server);
    closeAll = async () => {
      await dispatcher.stop();
      await relay.close();
      await closeServer(server);
      await chat.close();
    };
    return { port, dispatcher: dispatcher.kind, dialect: chat.db.dialect };
  },

  /**
   * Users, direct conversations and sender tokens for `count` sender/receiver pairs; `hot`: every
   * sender is the same user of one conversation (the conversation row lock is the hot spot).
   */
  async pairs({ count, prefix, hot = false }) {
    const token = (id) => chat.api.createUserToken(id, { expiresIn: '2h' });
    if (hot) {
      const [senderId, receiverId] = [`${prefix}a`, `${prefix}b`];
      const { conversation } = await chat.api.createConversation({ createdBy: senderId, participantIds: [receiverId] });
      const t = await token(senderId);
      return Array.from({ length: count }, () => ({ senderId, receiverId, conversationId: conversation.id, token: t }));
    }
    const out = [];
    for (let i = 0; i < count; i++) {
      const [senderId, receiverId] = [`${prefix}s${i}`, `${prefix}r${i}`];
      const { conversation } = await chat.api.createConversation({ createdBy: senderId, participantIds: [receiverId] });
      out.push({ senderId, receiverId, conversationId: conversation.id, token: await token(senderId) });
    }
    return out;
  },

  /**
   * `count` group conversations of `size` members; the first `senders` members of each send, each
   * with a token. Returns the member ids (every member's channel is listened to) and the senders.
   */
  async groups({ count, size, senders, prefix }) {
    const out = { members: [], senders: [] };
    for (let g = 0; g < count; g++) {
      const ids = Array.from({ length: size }, (_, i) => `${prefix}g${g}m${i}`);
      const { conversation } = await chat.api.createConversation({ createdBy: ids[0], participantIds: ids.slice(1), title: `g${g}` });
      out.members.push(...ids);
      for (const senderId of ids.slice(0, senders)) {
        out.senders.push({
          senderId,
          conversationId: conversation.id,
          token: await chat.api.createUserToken(senderId, { expiresIn: '2h' }),
        });
      }
    }
    return out;
  },

  /** The outbox dispatcher's counters of this process (fast path and sweep). */
  async dispatcherStats() {
    return chat.dispatcher?.stats() ?? null;
  },

  /** CPU time of the server process (µs): divided by the work done, it is far less noisy than wall time. */
  async cpu() {
    return process.cpuUsage();
  },

  /** The chat server's metrics (the outbox's pending, delivered and dead rows). */
  async metrics() {
    return chat.metrics();
  },

  async token({ userId }) {
    return chat.api.createUserToken(userId, { expiresIn: '2h' });
  },

  /** Memory after two full collections (the server runs with --expose-gc). */
  async memory() {
    for (let i = 0; i < 3; i++) {
      globalThis.gc?.();
      await new Promise((r) => setTimeout(r, 50));
    }
    const m = process.memoryUsage();
    return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, stats: relay?.stats() };
  },

  async stop() {
    await closeAll();
    closeAll = async () => {};
  },
};

/**
 * A Banter instance without a relay of its own: events go over HTTP through the `pusher` SDK to a
 * Pusher-protocol service at 127.0.0.1:`pusher.port` (the scale section's relay behind its 20 ms proxy).
 */
async function startOverPusher({ createChatServer, pusherBroadcaster, toNodeHandler, database, pusher }) {
  const broadcaster = pusherBroadcaster({
    appId: APP.id,
    key: APP.key,
    secret: APP.secret,
    host: '127.0.0.1',
    port: pusher.port,
    useTLS: false,
  });
  chat = createChatServer({
    // Concurrent sends share a commit (the default); BENCH_GROUP_COMMIT=off measures without it.
    database: { url: database.url, schema: database.schema, maxConnections: 10, groupCommit: process.env.BENCH_GROUP_COMMIT !== 'off' },
    secret: SECRET,
    basePath: '/api',
    broadcaster,
    rateLimits: false,
    onError: (e) => console.error('[bench server]', e),
  });
  await chat.ready;
  const node = toNodeHandler(chat.handler);
  const server = createServer((req, res) => node(req, res));
  server.keepAliveTimeout = 60_000;
  const port = await listen(server);
  closeAll = async () => {
    await closeServer(server);
    await chat.close();
  };
  return { port, dispatcher: 'banter over pusher', dialect: chat.db.dialect };
}

serve(handlers);
