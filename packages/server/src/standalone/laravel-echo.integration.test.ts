import { randomBytes, randomUUID } from 'node:crypto';
import { userChannel } from '@banter/core/protocol';
import Echo from 'laravel-echo';
import Pusher from 'pusher-js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Database } from '../db/create-database';
import { databaseTargets } from '../testing/database-targets';
import { startStandaloneServer, type StandaloneServer } from './standalone-server';

// The source app's own front-end stack (Laravel Echo on pusher-js) against Banter, unmodified: Echo
// authorizes a private channel through Banter's POST /api/realtime/auth over real HTTP, then gets an
// event the outbox delivered through the embedded relay.
const SECRET = 'echo-test-secret-of-at-least-32-characters';

for (const target of databaseTargets()) {
  describe(`Laravel Echo against banter serve on ${target.name}`, () => {
    let database: Database;
    let server: StandaloneServer;
    const echoes: Echo<'pusher'>[] = [];

    beforeAll(async () => {
      database = await target.create();
      server = await startStandaloneServer({
        port: 0,
        host: '127.0.0.1',
        database,
        secret: SECRET,
        realtime: { kind: 'embedded', app: { id: 'banter', key: randomBytes(6).toString('hex'), secret: randomBytes(12).toString('hex') } },
        onError: (error) => console.error(error),
      });
    }, 90_000);
    afterAll(async () => {
      for (const echo of echoes) echo.disconnect();
      await server?.close();
      await database?.close();
    });

    function connectEcho(token: string): Echo<'pusher'> {
      const api = `http://127.0.0.1:${server.port}/api`;
      const echo = new Echo({
        broadcaster: 'pusher',
        Pusher,
        key: server.relay!.apps[0]!.key,
        cluster: 'banter',
        wsHost: '127.0.0.1',
        wsPort: server.port,
        forceTLS: false,
        enabledTransports: ['ws'],
        authEndpoint: `${api}/realtime/auth`,
        auth: { headers: { Authorization: `Bearer ${token}` } },
      });
      echoes.push(echo);
      return echo;
    }

    test('subscribes to private-user.<id> through /realtime/auth and receives message.created', async () => {
      const suffix = randomBytes(3).toString('hex');
      const [alice, bob] = [`alice-${suffix}`, `bob-${suffix}`];
      const { chat } = server;
      const { conversation } = await chat.api.createConversation({ createdBy: alice, participantIds: [bob] });
      const echo = connectEcho(await chat.api.createUserToken(bob, { expiresIn: '1h' }));

      const received = new Promise<{ seq: number; message?: { body: string } }>((resolve, reject) => {
        // Echo adds the `private-` prefix; the leading dot opts out of its App\Events namespace.
        const channel = echo.private(userChannel(bob).slice('private-'.length));
        channel.error((error: unknown) => reject(new Error(`subscription refused: ${JSON.stringify(error)}`)));
        channel.subscribed(() => {
          void chat.api.sendMessage({ conversationId: conversation.id, senderId: alice, body: 'hello, Echo', clientId: randomUUID() });
        });
        channel.listen('.message.created', resolve);
      });
      expect(await received).toMatchObject({ seq: 1, message: { body: 'hello, Echo' } });
    }, 30_000);

    test("is refused another user's private channel by /realtime/auth", async () => {
      const suffix = randomBytes(3).toString('hex');
      const echo = connectEcho(await server.chat.api.createUserToken(`eve-${suffix}`, { expiresIn: '1h' }));
      const refusal = await new Promise<{ status?: number }>((resolve) => {
        echo.private(`user.victim-${suffix}`).error(resolve);
      });
      expect(refusal.status).toBe(403);
    }, 30_000);
  });
}
