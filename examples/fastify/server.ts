/**
 * Banter in a Fastify 5 app: the chat API as a plugin under /chat, a token endpoint for the
 * signed-in user, the widget script, and a page that embeds it.
 *
 *   pnpm start   ->  http://localhost:3000/?as=alice  (and /?as=bob in another window)
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyRequest } from 'fastify';
import { broadcasterConfigFromEnv, createChatServer, pusherBroadcaster, relayBroadcaster } from '@banter/server';
import { fastifyBanter } from '@banter/server/fastify';
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
  basePath: '/chat', // the plugin's prefix below
  broadcaster,
});
await chat.ready; // migrations ran

const app = Fastify();

// --- Fake login: `?as=alice` on any page signs you in as alice. Replace with your auth. ---
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
app.addHook('onRequest', async (request, reply) => {
  const as = (request.query as Record<string, string | undefined>).as;
  if (as && USER_ID.test(as)) {
    reply.header('set-cookie', `demo_user=${as}; Path=/; HttpOnly; SameSite=Lax`);
    return reply.redirect(request.url.split('?')[0]!);
  }
});
function currentUser(request: FastifyRequest): string | null {
  const match = /(?:^|;\s*)demo_user=([^;]+)/.exec(request.headers.cookie ?? '');
  return match && USER_ID.test(match[1]!) ? match[1]! : null;
}
// --- end of fake login ---

// The chat API. The plugin turns off Fastify's body parsing in its own scope only.
await app.register(fastifyBanter, { handler: chat.handler, prefix: '/chat' });

// The widget asks here for a chat token of whoever is signed in to *your* app.
app.get('/chat-token', async (request, reply) => {
  const user = currentUser(request);
  if (!user) return reply.code(401).send({ error: 'sign in first' });
  const token = await chat.api.createUserToken(user, { expiresIn: '1h', name: user });
  return reply.header('cache-control', 'no-store').send({ token });
});

// The widget's script-tag build, straight from the @banter/widget package.
const widgetFile = createRequire(import.meta.url).resolve('@banter/widget/widget.js');
const widgetJs = await readFile(widgetFile, 'utf8').catch(() => {
  throw new Error(`${widgetFile} is missing: build @banter/widget first (pnpm build at the repo root)`);
});
app.get('/widget.js', (_request, reply) => reply.type('text/javascript; charset=utf-8').send(widgetJs));

app.get('/', (request, reply) => {
  const peer = (request.query as Record<string, string | undefined>).with;
  return reply.type('text/html; charset=utf-8').send(page(currentUser(request), peer));
});

relay?.attach(app.server); // pusher-js connects to ws://<this host>/app/banter-key
await app.listen({ port: PORT, host: HOST });
console.log(`Fastify example on http://${HOST === '127.0.0.1' ? 'localhost' : HOST}:${PORT}/?as=alice`);

// Close cleanly: PGlite writes its data to disk on close.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await relay?.close();
    await app.close();
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
<head><meta charset="utf-8"><title>Fastify + Banter</title>
<style>body{font:16px system-ui,sans-serif;margin:2rem auto;max-width:56rem}#chat{height:32rem;border:1px solid #ddd;border-radius:8px}</style>
</head>
<body>
<h1>Fastify + Banter</h1>
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
