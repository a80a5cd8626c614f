/**
 * Banter in an Express 5 app: the chat API under /chat, a token endpoint for the signed-in user,
 * the widget script, and a page that embeds it.
 *
 *   pnpm start   ->  http://localhost:3000/?as=alice  (and /?as=bob in another window)
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request } from 'express';
import { broadcasterConfigFromEnv, createChatServer, pusherBroadcaster, relayBroadcaster } from '@banter/server';
import { toNodeHandler } from '@banter/server/express';
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

const app = express();

// --- Fake login: `?as=alice` on any page signs you in as alice. Replace with your auth. ---
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
app.use((req, res, next) => {
  const as = req.query.as;
  if (typeof as === 'string' && USER_ID.test(as)) {
    res.cookie('demo_user', as, { httpOnly: true, sameSite: 'lax' });
    return res.redirect(req.path);
  }
  next();
});
function currentUser(req: Request): string | null {
  const match = /(?:^|;\s*)demo_user=([^;]+)/.exec(req.headers.cookie ?? '');
  return match && USER_ID.test(match[1]!) ? match[1]! : null;
}
// --- end of fake login ---

// The chat API. It works with or without express.json() / express.urlencoded() in front of it.
app.use('/chat', toNodeHandler(chat.handler));

// The widget asks here for a chat token of whoever is signed in to *your* app.
app.get('/chat-token', async (req, res) => {
  const user = currentUser(req);
  if (!user) return res.status(401).json({ error: 'sign in first' });
  const token = await chat.api.createUserToken(user, { expiresIn: '1h', name: user });
  res.set('cache-control', 'no-store').json({ token });
});

// The widget's script-tag build, straight from the @banter/widget package.
const widgetFile = createRequire(import.meta.url).resolve('@banter/widget/widget.js');
if (!existsSync(widgetFile)) throw new Error(`${widgetFile} is missing: build @banter/widget first (pnpm build at the repo root)`);
app.get('/widget.js', (_req, res) => res.sendFile(widgetFile));

app.get('/', (req, res) => {
  res.type('html').send(page(currentUser(req), typeof req.query.with === 'string' ? req.query.with : undefined));
});

const server = createServer(app);
relay?.attach(server); // pusher-js connects to ws://<this host>/app/banter-key
server.listen(PORT, HOST, () => console.log(`Express example on http://${HOST === '127.0.0.1' ? 'localhost' : HOST}:${PORT}/?as=alice`));

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
<head><meta charset="utf-8"><title>Express + Banter</title>
<style>body{font:16px system-ui,sans-serif;margin:2rem auto;max-width:56rem}#chat{height:32rem;border:1px solid #ddd;border-radius:8px}</style>
</head>
<body>
<h1>Express + Banter</h1>
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
