/**
 * The React example's backend: Banter's API under /api, the embedded relay on the same port, a
 * token route for the (fake) signed-in user, and the Vite build in ./dist.
 *
 *   pnpm start   ->  http://localhost:3000/?as=alice  (and /?as=bob in another window)
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { broadcasterConfigFromEnv, createChatServer, pusherBroadcaster, relayBroadcaster } from '@banter/server';
import { toNodeHandler } from '@banter/server/node';
import { createRelay } from '@banter/server/relay';

const PORT = Number(process.env.PORT ?? 3000);
const HOST = process.env.HOST ?? '127.0.0.1';
// Signs the users' chat tokens. In production set your own: `openssl rand -hex 32`.
const SECRET = process.env.BANTER_SECRET ?? 'dev-only-secret-do-not-use-in-production';

// Realtime: the embedded relay on this port, unless PUSHER_* point at Pusher Channels or Soketi.
const pusher = broadcasterConfigFromEnv();
const relay = pusher ? null : createRelay({ apps: [{ id: 'banter', key: 'banter-key', secret: SECRET }] });
const broadcaster = relay ? relayBroadcaster(relay) : pusherBroadcaster(pusher!);

// Storage: PostgreSQL when DATABASE_URL is set, else PGlite (Postgres in WASM) in ./.banter/db.
const dataDir = process.env.BANTER_DATA_DIR ?? fileURLToPath(new URL('./.banter', import.meta.url));
const chat = createChatServer({
  database: process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { dataDir: join(dataDir, 'db') },
  secret: SECRET,
  basePath: '/api',
  broadcaster,
});
await chat.ready;
const api = toNodeHandler(chat.handler);

const dist = fileURLToPath(new URL('./dist/', import.meta.url));
if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist}index.html is missing: run pnpm build (vite build) first`);
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return void api(req, res);
  // Fake auth: the page says who it is (`?as=`). Your backend reads its own session instead.
  if (url.pathname === '/chat-token') {
    const user = url.searchParams.get('as') ?? '';
    res.setHeader('cache-control', 'no-store');
    if (!USER_ID.test(user)) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"sign in first"}');
    const token = await chat.api.createUserToken(user, { expiresIn: '1h', name: user });
    return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
  }
  // The Vite build; every other path is the single page.
  const file = normalize(join(dist, url.pathname));
  const path = file.startsWith(dist) && existsSync(file) && extname(file) ? file : join(dist, 'index.html');
  res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
});
relay?.attach(server); // pusher-js connects to ws://<this host>/app/banter-key
server.listen(PORT, HOST, () => console.log(`React example on http://${HOST === '127.0.0.1' ? 'localhost' : HOST}:${PORT}/?as=alice`));

// Close cleanly: PGlite writes its data to disk on close.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    server.close();
    server.closeAllConnections();
    await relay?.close();
    await broadcaster.close?.();
    await chat.close();
    process.exit(0);
  });
}
