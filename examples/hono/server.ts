/**
 * Banter in a Hono app on Node (@hono/node-server): the chat API under /chat, a token endpoint for
 * the signed-in user, the widget script, and a page that embeds it.
 *
 *   pnpm start   ->  http://localhost:3000/?as=alice  (and /?as=bob in another window)
 */
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { broadcasterConfigFromEnv, createChatServer, pusherBroadcaster, relayBroadcaster } from '@banter/server';
import { createRelay } from '@banter/server/relay';

const PORT = Number(process.env.PORT ?? 3000);
const HOST = process.env.HOST ?? '127.0.0.1';
// Signs the users' chat tokens. In production set your own: `openssl rand -hex 32`.
const SECRET = process.env.BANTER_SECRET ?? 'dev-only-secret-do-not-use-in-production';

// Realtime: the embedded relay on this app's own port, unless PUSHER_* variables point at
// Pusher Channels or Soketi (see examples/pusher).
const pusher = broadcasterConfigFromEnv();
const relay = pusher ? null : createRelay({ apps: [{ id: 'banter', key: 'banter-key', secret: SECRET }] });
const broadcaster = relay ? relayBroadcaster(relay) : pusherBroadcaster(pusher!);

// Storage: PostgreSQL when DATABASE_URL is set, else PGlite (Postgres in WASM) in ./.banter/db.
const dataDir = process.env.BANTER_DATA_DIR ?? fileURLToPath(new URL('./.banter', import.meta.url));
const chat = createChatServer({
  database: process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { dataDir: join(dataDir, 'db') },
  secret: SECRET,
  basePath: '/chat', // where it is mounted below
  broadcaster,
});
await chat.ready; // migrations ran

const app = new Hono();

// --- Fake login: `?as=alice` on any page signs you in as alice. Replace with your auth. ---
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
app.use(async (c, next) => {
  const as = c.req.query('as');
  if (as && USER_ID.test(as)) {
    setCookie(c, 'demo_user', as, { httpOnly: true, sameSite: 'Lax', path: '/' });
    return c.redirect(c.req.path);
  }
  await next();
});
const currentUser = (c: Context) => {
  const user = getCookie(c, 'demo_user');
  return user && USER_ID.test(user) ? user : null;
};
// --- end of fake login ---

// The chat API: Banter's handler takes the web Request as it is.
app.all('/chat/*', (c) => chat.handler(c.req.raw));

// The widget asks here for a chat token of whoever is signed in to *your* app.
app.get('/chat-token', async (c) => {
  const user = currentUser(c);
  if (!user) return c.json({ error: 'sign in first' }, 401);
  const token = await chat.api.createUserToken(user, { expiresIn: '1h', name: user });
  c.header('cache-control', 'no-store');
  return c.json({ token });
});

// The widget's script-tag build, straight from the @banter/widget package.
const widgetFile = createRequire(import.meta.url).resolve('@banter/widget/widget.js');
const widgetJs = await readFile(widgetFile, 'utf8').catch(() => {
  throw new Error(`${widgetFile} is missing: build @banter/widget first (pnpm build at the repo root)`);
});
app.get('/widget.js', (c) => c.body(widgetJs, 200, { 'content-type': 'text/javascript; charset=utf-8' }));

app.get('/', (c) => c.html(page(currentUser(c), c.req.query('with'))));

// overrideGlobalObjects: false keeps Node's own Request and Response globals.
const server = serve({ fetch: app.fetch, port: PORT, hostname: HOST, overrideGlobalObjects: false }, ({ port }) =>
  console.log(`Hono example on http://${HOST === '127.0.0.1' ? 'localhost' : HOST}:${port}/?as=alice`),
) as Server;
relay?.attach(server); // pusher-js connects to ws://<this host>/app/banter-key

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

/** The host app's page. User ids were checked against USER_ID, so they are safe in HTML. */
function page(user: string | null, peer?: string): string {
  const people = ['alice', 'bob', 'carol'].map((id) => `<a href="/?as=${id}">${id}</a>`).join(' · ');
  const chatWith = peer && USER_ID.test(peer) && peer !== user ? peer : user === 'alice' ? 'bob' : 'alice';
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Hono + Banter</title>
<style>body{font:16px system-ui,sans-serif;margin:2rem auto;max-width:56rem}#chat{height:32rem;border:1px solid #ddd;border-radius:8px}</style>
</head>
<body>
<h1>Hono + Banter</h1>
<p>Sign in as: ${people}</p>
${
  user
    ? `<p>Signed in as <b>${user}</b>, chatting with <b>${chatWith}</b> (<a href="/?with=carol">chat with carol</a>).</p>
<div id="chat"></div>
<script src="/widget.js" data-url="/chat" data-token-url="/chat-token" data-mode="inbox" data-target="#chat" data-conversation-with="${chatWith}" async></script>`
    : '<p>Pick a user above, then open another one in a private window.</p>'
}
</body>
</html>`;
}
