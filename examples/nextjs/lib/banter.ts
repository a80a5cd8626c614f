import { join } from 'node:path';
import {
  type Broadcaster,
  type ChatServer,
  broadcasterConfigFromEnv,
  createChatServer,
  pusherBroadcaster,
  relayBroadcaster,
} from '@banter/server';
import { createRelay } from '@banter/server/relay';

// Signs the users' chat tokens. In production set your own: `openssl rand -hex 32`.
const SECRET = process.env.BANTER_SECRET ?? 'dev-only-secret-do-not-use-in-production';

async function start(): Promise<ChatServer> {
  // Realtime: Pusher Channels / Soketi when PUSHER_* are set (what you want on serverless hosts).
  // Otherwise the embedded relay: a route handler cannot accept WebSocket upgrades, so it listens
  // on a port of its own (RELAY_PORT, default 6001) and GET /api/chat/config sends browsers there.
  const pusher = broadcasterConfigFromEnv();
  let broadcaster: Broadcaster;
  if (pusher) {
    broadcaster = pusherBroadcaster(pusher);
  } else {
    const host = process.env.HOST ?? 'localhost';
    const relay = createRelay({ apps: [{ id: 'banter', key: 'banter-key', secret: SECRET }] });
    const { port } = await relay.listen(Number(process.env.RELAY_PORT ?? 6001), host);
    broadcaster = relayBroadcaster(relay, { wsHost: host, wsPort: port, wssPort: port, forceTLS: false });
  }

  // Storage: PostgreSQL when DATABASE_URL is set, else PGlite (Postgres in WASM) in ./.banter/db.
  const dataDir = process.env.BANTER_DATA_DIR ?? join(process.cwd(), '.banter');
  const chat = createChatServer({
    database: process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { dataDir: join(dataDir, 'db') },
    secret: SECRET,
    basePath: '/api/chat', // app/api/chat/[...path]/route.ts
    broadcaster,
  });
  await chat.ready; // migrations ran
  return chat;
}

// One chat server per process, started on first use (not during `next build`), and kept across
// hot reloads in development.
const globalForBanter = globalThis as { banter?: Promise<ChatServer> };

/** The chat server of this Next.js process. */
export function getChat(): Promise<ChatServer> {
  globalForBanter.banter ??= start();
  return globalForBanter.banter;
}

// --- Fake login: /login?as=alice sets this cookie. Replace with your auth. ---
export const USER_COOKIE = 'demo_user';
export const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
