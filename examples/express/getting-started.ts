import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import express, { type Request } from 'express';
import { createChatServer, relayBroadcaster } from '@banter/server';
import { toNodeHandler } from '@banter/server/express';
import { createRelay } from '@banter/server/relay';

// Configuration from the environment; a missing variable stops the start with its name.
function env(name: string, hint: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: ${hint}`);
  return value;
}
const secret = env('BANTER_SECRET', 'the key that signs chat tokens, e.g. `openssl rand -hex 32`');
// PostgreSQL, or (for a laptop) the embedded PGlite in a folder you name: never an in-memory one.
const database = process.env.DATABASE_URL
  ? { url: process.env.DATABASE_URL }
  : { dataDir: env('BANTER_DATA_DIR', 'set DATABASE_URL (PostgreSQL) or BANTER_DATA_DIR (a folder for PGlite)') };

// Realtime: the embedded relay on the same port (or pusherBroadcaster for Pusher, Soketi, Reverb).
const relay = createRelay({ apps: [{ id: 'app', key: 'app-key', secret }] });

// 1. One chat server per process.
const chat = createChatServer({ database, secret, basePath: '/api/chat', broadcaster: relayBroadcaster(relay) });
await chat.ready;

const app = express();
// 2. Mount its handler, and serve the widget's script.
app.use('/api/chat', toNodeHandler(chat.handler));
app.get('/widget.js', (_req, res) => res.sendFile(createRequire(import.meta.url).resolve('@banter/widget/widget.js')));

// 3. Give the signed-in user a token. Your auth decides who that is: this stand-in reads a
//    `user` cookie so the file runs as is; use your session instead (req.session, req.auth, ...).
function signedInUser(req: Request): { id: string; name: string } | null {
  const id = /(?:^|;\s*)user=([\w-]{1,64})/.exec(req.headers.cookie ?? '')?.[1];
  return id ? { id, name: id } : null;
}
app.get('/chat-token', async (req, res) => {
  const user = signedInUser(req);
  if (!user) return void res.status(401).json({ error: 'sign in first' });
  res.json({ token: await chat.api.createUserToken(user.id, { name: user.name, expiresIn: '1h' }) });
});

const server = createServer(app);
relay.attach(server);
server.listen(Number(process.env.PORT ?? 3000), () => console.log(`listening on http://localhost:${process.env.PORT ?? 3000}`));
