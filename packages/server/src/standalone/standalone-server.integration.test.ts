import { randomBytes } from 'node:crypto';
import { createChatClient, selectMessages } from '@banter/core';
import Pusher from 'pusher-js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../db/create-database';
import { outboxMetrics } from '../outbox/metrics';
import { createRelay } from '../relay/create-relay';
import { databaseTargets } from '../testing/database-targets';
import { seedDemo } from './seed';
import { startStandaloneServer, type StandaloneServer } from './standalone-server';
import { until } from '../../test/kit/until';

const SECRET = 'standalone-test-secret-of-at-least-32-chars';

function start(database: Database, dev: boolean): Promise<StandaloneServer> {
  return startStandaloneServer({
    port: 0,
    host: '127.0.0.1',
    database,
    secret: SECRET,
    realtime: { kind: 'embedded', app: { id: 'banter', key: randomBytes(6).toString('hex'), secret: randomBytes(12).toString('hex') } },
    dev,
    onError: (error) => console.error(error),
  });
}

for (const target of databaseTargets()) {
  describe(`standalone server on ${target.name}`, () => {
    let database: Database;
    let dev: StandaloneServer;
    let prod: StandaloneServer;
    const base = (s: StandaloneServer) => `http://127.0.0.1:${s.port}`;

    beforeAll(async () => {
      database = await target.create();
      dev = await start(database, true);
      prod = await start(database, false);
    }, 90_000);
    afterAll(async () => {
      await dev?.close();
      await prod?.close();
      await database?.close();
    });

    test('one port: API under /api, health and readiness, relay HTTP API, /metrics', async () => {
      for (const path of ['/api/health', '/api/ready']) expect((await fetch(base(prod) + path)).status).toBe(200);
      const config = await (await fetch(`${base(prod)}/api/config`)).json();
      expect(config).toMatchObject({ key: prod.relay!.apps[0]!.key, wsHost: null });
      // The relay's HTTP API answers on the same port (unsigned: refused, but by the relay).
      const relayApi = await fetch(`${base(prod)}/apps/banter/channels`);
      expect(relayApi.status).toBe(401);
      const metrics = await (await fetch(`${base(prod)}/metrics`)).text();
      expect(metrics).toContain('# TYPE banter_relay_connections gauge');
      expect(metrics).toMatch(/banter_outbox_pending \d+/);
      expect((await fetch(`${base(prod)}/nope`)).status).toBe(404);
      expect((await fetch(`${base(prod)}/widget.js`)).status).toBe(prod.widgetScript ? 200 : 404);
      // Its lazy chunks are served from next to it; nothing else of that directory is.
      expect((await fetch(`${base(prod)}/widget.emoji-picker.js`)).status).toBe(prod.widgetScript ? 200 : 404);
      expect((await fetch(`${base(prod)}/widget.index.d.ts`)).status).toBe(404);
    });

    test('without dev: no dev token, no demo page, no CORS', async () => {
      const token = await fetch(`${base(prod)}/api/dev/token?user=alice`);
      expect(token.status).toBe(404);
      expect((await token.json()).error.code).toBe('not_found');
      const home = await fetch(`${base(prod)}/`);
      expect(await home.text()).toContain('The demo page is served with --dev');
      expect((await fetch(`${base(prod)}/demo.js`)).status).toBe(404);
      const cors = await fetch(`${base(prod)}/api/health`, { headers: { origin: 'https://elsewhere.example' } });
      expect(cors.headers.get('access-control-allow-origin')).toBeNull();
    });

    test('dev: /api/dev/token creates the user with a friendly name; bad ids get a 400', async () => {
      const response = await fetch(`${base(dev)}/api/dev/token?user=mary_ann`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const { token, user } = await response.json();
      expect(user).toMatchObject({ id: 'mary_ann', name: 'Mary Ann' });
      const me = await (await fetch(`${base(dev)}/api/me`, { headers: { authorization: `Bearer ${token}` } })).json();
      expect(me.user ?? me).toMatchObject({ id: 'mary_ann', name: 'Mary Ann' });
      for (const bad of ['', 'has space', 'x'.repeat(129), '<script>']) {
        const refused = await fetch(`${base(dev)}/api/dev/token?user=${encodeURIComponent(bad)}`);
        expect(refused.status).toBe(400);
        expect((await refused.json()).error.code).toBe('validation_failed');
      }
      const cors = await fetch(`${base(dev)}/api/health`, { headers: { origin: 'https://elsewhere.example' } });
      expect(cors.headers.get('access-control-allow-origin')).toBe('*');
      // Regression: a page on another origin (examples/script-tag) could not read its token, because
      // the widget fetches data-token-url with credentials and browsers refuse '*' for that.
      const crossOrigin = await fetch(`${base(dev)}/api/dev/token?user=alice`, { headers: { origin: 'http://localhost:8080' } });
      expect(crossOrigin.headers.get('access-control-allow-origin')).toBe('http://localhost:8080');
      expect(crossOrigin.headers.get('access-control-allow-credentials')).toBe('true');
    });

    test('dev: the demo page is files only, under a strict CSP (no inline script or style)', async () => {
      const page = await fetch(`${base(dev)}/`);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await page.text();
      expect(html).toContain('<script src="/widget.js"');
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(html).not.toMatch(/<style|\sstyle=|\son\w+=/);
      const js = await fetch(`${base(dev)}/demo.js`);
      expect(js.headers.get('content-type')).toContain('text/javascript');
      expect(await js.text()).toContain('Banter.mount');
      expect((await fetch(`${base(dev)}/demo.css`)).headers.get('content-type')).toContain('text/css');
      const etag = js.headers.get('etag')!;
      expect((await fetch(`${base(dev)}/demo.js`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    });

    test('dev: the seed made Alice, Bob and Carol with history and unread messages; seeding again adds nothing', async () => {
      expect(dev.seeded).toBeGreaterThanOrEqual(90);
      const { conversations } = await dev.chat.api.listConversations('alice');
      const direct = conversations.find((c) => c.kind === 'direct' && c.participants.some((p) => p.user.id === 'bob'))!;
      expect(direct.lastSeq).toBe(80);
      expect(direct.unreadCount).toBe(0);
      expect(conversations.filter((c) => c.unreadCount > 0).length).toBeGreaterThanOrEqual(2);
      expect(await seedDemo(dev.chat)).toEqual({ messages: 0 });
      expect((await dev.chat.api.listConversations('alice')).conversations).toHaveLength(conversations.length);
    });

    test('a client connects to the relay on the same port and gets messages live; shutdown delivers everything committed first', async () => {
      // Its own database: every server's dispatcher delivers through its own embedded relay only.
      const own = await target.create();
      const server = await start(own, false);
      const userId = `reader-${randomBytes(3).toString('hex')}`;
      await server.chat.api.upsertUser({ id: 'alice', name: 'Alice' });
      const token = await server.chat.api.createUserToken(userId, { expiresIn: '1h' });
      const client = createChatClient({ url: `${base(server)}/api`, token, realtime: { Pusher } });
      try {
        await client.ready;
        // Subscribed to its private channel (authorized through /api/realtime/auth on the same port) and,
        // signed in, to its server-to-user channel: both, since either can come first and a message
        // published before the private channel is there would not arrive live.
        await until('subscribed', () => server.relay!.stats().subscriptions === 2);
        const received: string[] = [];
        client.on('message', ({ message }) => received.push(message.body));
        const { conversation } = await server.chat.api.createConversation({ createdBy: 'alice', participantIds: [userId] });
        await server.chat.api.sendMessage({ conversationId: conversation.id, senderId: 'alice', body: 'live 0' });
        await until('the first live message', () => received.includes('live 0'));

        // Committed, then the server is told to stop at once: the outbox is flushed before sockets close.
        for (let i = 1; i <= 20; i++)
          await server.chat.api.sendMessage({ conversationId: conversation.id, senderId: 'alice', body: `live ${i}` });
        await server.close();
        // Each once; events may arrive out of seq order (the fast path and the sweep both publish),
        // the store keeps seq order.
        const all = Array.from({ length: 21 }, (_, i) => `live ${i}`);
        expect([...received].sort()).toEqual([...all].sort());
        expect(selectMessages(client.store.getSnapshot(), conversation.id).map((m) => m.body)).toEqual(all);
        expect(await outboxMetrics(own)).toMatchObject({ pending: 0 });
      } finally {
        client.close();
        await server.close();
        await own.close();
      }
    }, 60_000);
    test('with PUSHER_* settings: no embedded relay; clients are sent to the Pusher-protocol service and get messages there', async () => {
      // A Banter relay on its own port plays Soketi.
      const app = { id: 'soketi-app', key: randomBytes(6).toString('hex'), secret: randomBytes(12).toString('hex') };
      const soketi = createRelay({ apps: [app] });
      const { port } = await soketi.listen(0, '127.0.0.1');
      const own = await target.create();
      const server = await startStandaloneServer({
        port: 0,
        host: '127.0.0.1',
        database: own,
        secret: SECRET,
        realtime: { kind: 'pusher', config: { appId: app.id, key: app.key, secret: app.secret, host: '127.0.0.1', port, useTLS: false } },
      });
      const userId = `reader-${randomBytes(3).toString('hex')}`;
      const client = createChatClient({
        url: `${base(server)}/api`,
        token: await server.chat.api.createUserToken(userId, { expiresIn: '1h' }),
        realtime: { Pusher },
      });
      try {
        expect(server.relay).toBeNull();
        expect(await (await fetch(`${base(server)}/api/config`)).json()).toMatchObject({ key: app.key, wsHost: '127.0.0.1', wsPort: port });
        await client.ready;
        await until('subscribed at the service', () => soketi.stats().subscriptions === 1);
        const received: string[] = [];
        client.on('message', ({ message }) => received.push(message.body));
        await server.chat.api.upsertUser({ id: 'alice', name: 'Alice' });
        const { conversation } = await server.chat.api.createConversation({ createdBy: 'alice', participantIds: [userId] });
        await server.chat.api.sendMessage({ conversationId: conversation.id, senderId: 'alice', body: 'through the service' });
        await until('the message through the service', () => received.includes('through the service'));
      } finally {
        client.close();
        await server.close();
        await soketi.close();
        await own.close();
      }
    }, 60_000);
  });
}
