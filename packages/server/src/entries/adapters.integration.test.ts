import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChatServer, type ChatServer } from '../chat-server';
import { databaseTargets } from '../testing/database-targets';
import { createRecordingBroadcaster } from '../../test/kit/recording-broadcaster';
import { TEST_SECRET } from '../../test/kit/test-server';
import { fastifyBanter } from './fastify';
import { toNextJsHandler } from './next';
import { toNodeHandler } from './node';

// Adapters only translate requests; one PGlite serves every framework here.
let chat: ChatServer;
let token: string;
let peer: string;

beforeAll(async () => {
  const database = await databaseTargets()[0]!.create();
  chat = createChatServer({ database, secret: TEST_SECRET, basePath: '/api/chat', broadcaster: createRecordingBroadcaster() });
  await chat.ready;
  token = await chat.api.createUserToken('adapter-user', { expiresIn: '1h', name: 'Ada' });
  peer = 'adapter-peer';
}, 30_000);
afterAll(async () => {
  await chat.close();
  await chat.db.close();
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

/** The same conversation of requests against each framework. */
function contract(name: string, start: () => Promise<{ url: string; stop: () => Promise<void> }>) {
  describe(name, () => {
    let url: string;
    let stop: () => Promise<void>;
    beforeAll(async () => {
      ({ url, stop } = await start());
    });
    afterAll(() => stop());
    const auth = () => ({ authorization: `Bearer ${token}` });

    it('serves GET /me and the no-auth routes', async () => {
      const me = await fetch(`${url}/api/chat/me`, { headers: auth() });
      expect(me.status).toBe(200);
      expect((await me.json()).user).toEqual({ id: 'adapter-user', name: 'Ada', avatarUrl: null });
      expect(await (await fetch(`${url}/api/chat/health`)).json()).toEqual({ status: 'ok' });
    });

    it('passes JSON bodies, query strings and statuses through', async () => {
      const created = await fetch(`${url}/api/chat/conversations`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ participantIds: [peer] }),
      });
      expect([200, 201]).toContain(created.status);
      const { conversation } = await created.json();
      const sent = await fetch(`${url}/api/chat/conversations/${conversation.id}/messages`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: crypto.randomUUID(), body: `via ${name}` }),
      });
      expect(sent.status).toBe(201);
      const page = await fetch(`${url}/api/chat/conversations/${conversation.id}/messages?limit=1`, { headers: auth() });
      expect((await page.json()).messages[0].body).toBe(`via ${name}`);
    });

    it('passes pusher-js form bodies to /realtime/auth', async () => {
      const res = await fetch(`${url}/api/chat/realtime/auth`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'socket_id=123.456&channel_name=private-user.adapter-user',
      });
      expect(res.status).toBe(200);
      expect((await res.json()).auth).toMatch(/^test-key:[0-9a-f]{64}$/);
    });

    it('answers 413 for a body over the limit, 404 and 405 with Allow', async () => {
      const big = await fetch(`${url}/api/chat/conversations`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json' },
        body: JSON.stringify({ participantIds: [peer], title: 'x'.repeat(20_000) }),
      });
      expect(big.status).toBe(413);
      expect((await big.json()).error.code).toBe('payload_too_large');
      const missing = await fetch(`${url}/api/chat/nope`, { headers: auth() });
      expect(missing.status).toBe(404);
      const wrong = await fetch(`${url}/api/chat/me`, { method: 'DELETE', headers: auth() });
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('allow')).toBe('GET, OPTIONS');
    });
  });
}

contract('node:http', async () => {
  const server = createServer(toNodeHandler(chat.handler));
  return { url: await listen(server), stop: () => closeServer(server) };
});

contract('Express 5 (mounted, no body parser)', async () => {
  const app = express();
  app.use('/api/chat', toNodeHandler(chat.handler));
  const server = createServer(app);
  return { url: await listen(server), stop: () => closeServer(server) };
});

contract('Express 5 (after express.json and express.urlencoded)', async () => {
  const app = express();
  // The host parsed bodies already: the adapter must pass the parsed body on.
  app.use(express.json({ limit: '1mb' }), express.urlencoded({ extended: false, limit: '1mb' }));
  app.use('/api/chat', toNodeHandler(chat.handler));
  const server = createServer(app);
  return { url: await listen(server), stop: () => closeServer(server) };
});

contract('Fastify 5 plugin', async () => {
  const app = Fastify();
  // A JSON route of the host beside the plugin keeps Fastify's own parsing.
  app.post('/host/echo', async (request) => request.body);
  await app.register(fastifyBanter, { handler: chat.handler, prefix: '/api/chat' });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const echo = await fetch(`${url}/host/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
  expect(await echo.json()).toEqual({ a: 1 });
  return { url, stop: () => app.close() };
});

contract('Hono on @hono/node-server', async () => {
  const app = new Hono();
  app.all('/api/chat/*', (c) => chat.handler(c.req.raw));
  const globalRequest = globalThis.Request;
  let server!: ReturnType<typeof serve>;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', overrideGlobalObjects: false }, (info) => resolve(info.port));
  });
  // A library must not replace the host's global Request.
  expect(globalThis.Request).toBe(globalRequest);
  return { url: `http://127.0.0.1:${port}`, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
});

describe('toNodeHandler details', () => {
  it('aborts the Request signal when the client goes away', async () => {
    let resolveAborted!: () => void;
    const aborted = new Promise<void>((resolve) => (resolveAborted = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const server = createServer(
      toNodeHandler(async (request) => {
        started();
        await new Promise((resolve) => request.signal.addEventListener('abort', resolve));
        resolveAborted();
        return new Response('late');
      }),
    );
    const url = await listen(server);
    const client = new AbortController();
    const pending = fetch(url, { signal: client.signal }).catch(() => null);
    await running;
    client.abort();
    await aborted;
    await pending;
    await closeServer(server);
  });

  it('streams a large response in order, waiting for drain, and keeps every Set-Cookie', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x62);
    let pulled = 0;
    const server = createServer(
      toNodeHandler(async () => {
        const headers = new Headers({ 'content-type': 'application/octet-stream' });
        headers.append('set-cookie', 'a=1; Path=/');
        headers.append('set-cookie', 'b=2; Path=/');
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (pulled++ === 128) controller.close();
            else controller.enqueue(chunk);
          },
        });
        return new Response(body, { status: 207, headers });
      }),
    );
    const url = await listen(server);
    const res = await fetch(url);
    expect(res.status).toBe(207);
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.byteLength).toBe(128 * 64 * 1024);
    expect(bytes.every((b) => b === 0x62)).toBe(true);
    await closeServer(server);
  });

  it('builds the Request from the original URL, host and headers', async () => {
    let seen: Request | undefined;
    const app = express();
    app.use(
      '/mount',
      toNodeHandler(async (request) => {
        seen = request;
        return new Response(await request.text());
      }),
    );
    const server = createServer(app);
    const url = await listen(server);
    const res = await fetch(`${url}/mount/deep/path?x=1`, { method: 'POST', body: 'raw text', headers: { 'x-two': 'a' } });
    expect(await res.text()).toBe('raw text');
    expect(new URL(seen!.url).pathname).toBe('/mount/deep/path');
    expect(new URL(seen!.url).search).toBe('?x=1');
    expect(seen!.headers.get('x-two')).toBe('a');
    await closeServer(server);
  });
});

describe('toNextJsHandler', () => {
  it('routes GET, POST and OPTIONS Requests to the chat handler', async () => {
    const { GET, POST, OPTIONS } = toNextJsHandler(chat.handler);
    const me = await GET(new Request('http://localhost/api/chat/me', { headers: { authorization: `Bearer ${token}` } }));
    expect(me.status).toBe(200);
    const created = await POST(
      new Request('http://localhost/api/chat/conversations', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ participantIds: ['next-peer'] }),
      }),
    );
    expect(created.status).toBe(201);
    const options = await OPTIONS(new Request('http://localhost/api/chat/conversations', { method: 'OPTIONS' }));
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, POST, OPTIONS');
  });
});
