import { Writable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { type ChatServer, type ChatServerOptions, createChatServer } from '../chat-server';
import { type FlakyBroadcaster, flakyBroadcaster } from '../../test/kit/outbox';
import { until } from '../../test/kit/until';
import { describeEachDatabase, useTestDatabase } from '../../test/kit/describe-each-database';
import { TEST_SECRET } from '../../test/kit/test-server';
import { createLogger } from './logger';
import { metricsHandler } from './metrics-handler';

// Fast backoff so retries happen within a test; a long poll so only wake-ups and timers drive delivery.
// These follow the sweep's logs and metrics attempt by attempt; the fast path, which publishes
// straight after commit, has its own tests (outbox/fast-path.integration.test.ts).
const FAST = { backoffBaseMs: 10, backoffCapMs: 40, pollIntervalMs: 60_000, fastPath: false };
const BODY = 'the secret plans are in the blue folder';

/** pino output as parsed lines. */
function logCapture() {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { lines, raw, logger: createLogger({ level: 'debug', destination: stream }) };
}

/** One sample of the Prometheus text, e.g. value(text, 'banter_outbox_pending'); undefined if absent. */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describeEachDatabase('observability', (target) => {
  const db = useTestDatabase(target);
  const servers: ChatServer[] = [];
  function chat(options: Partial<ChatServerOptions>): ChatServer {
    const server = createChatServer({ database: db(), secret: TEST_SECRET, onError: () => {}, migrate: false, ...options });
    servers.push(server);
    return server;
  }
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  /** A conversation whose own `conversation.updated` events are delivered already (so they do not count below). */
  async function conversation(server: ChatServer, label: string, broadcaster?: FlakyBroadcaster) {
    const run = `${label}-${Math.random().toString(36).slice(2, 8)}`;
    const alice = `alice-${run}`;
    const bob = `bob-${run}`;
    const failing = broadcaster?.shouldFail;
    if (broadcaster) broadcaster.shouldFail = () => false;
    const { conversation: c } = await server.api.createConversation({ createdBy: alice, participantIds: [bob] });
    await server.dispatcher?.flush();
    if (broadcaster && failing) {
      broadcaster.sent.length = 0;
      broadcaster.shouldFail = failing;
    }
    const token = await server.api.createUserToken(alice, { expiresIn: '1h' });
    const send = (requestId: string, body = BODY) =>
      server.handler(
        new Request(`http://localhost/conversations/${c.id}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-request-id': requestId },
          body: JSON.stringify({ clientId: crypto.randomUUID(), body }),
        }),
      );
    return { id: c.id, token, send };
  }

  it('counts a send, a failed delivery and the automatic retry', async () => {
    const broadcaster = flakyBroadcaster(() => true);
    const server = chat({ broadcaster, dispatcher: FAST });
    const c = await conversation(server, 'retry', broadcaster);
    const before = await server.registry.metrics();
    const pendingBefore = value(before, 'banter_outbox_pending')!;
    const deliveredBefore = value(before, 'banter_outbox_delivered_total')!;

    const response = await c.send('req-metrics-retry');
    expect(response.status).toBe(201);
    // The counter moves once the failure is recorded in the row (after the broadcaster threw).
    await until(
      'a failed attempt counted',
      async () => (value(await server.registry.metrics(), 'banter_outbox_failed_attempts_total') ?? 0) >= 1,
    );
    const failing = await server.registry.metrics();
    expect(value(failing, 'banter_messages_sent_total', { via: 'http' })).toBe(1);
    expect(
      value(failing, 'banter_http_request_duration_seconds_count', { method: 'POST', route: '/conversations/:id/messages', status: '201' }),
    ).toBe(1);
    expect(value(failing, 'banter_outbox_pending')).toBe(pendingBefore + 2);
    expect(value(failing, 'banter_outbox_failed_attempts_total')).toBeGreaterThanOrEqual(1);
    expect(value(failing, 'banter_outbox_retried_total')).toBeGreaterThanOrEqual(1);
    expect(value(failing, 'banter_outbox_delivered_total')).toBe(deliveredBefore);
    expect(value(failing, 'banter_outbox_oldest_pending_age_seconds')).toBeGreaterThan(0);

    broadcaster.shouldFail = () => false;
    await until('both participants got it', () => broadcaster.sent.length >= 2);
    await server.dispatcher!.flush();
    const after = await server.registry.metrics();
    expect(value(after, 'banter_outbox_pending')).toBe(pendingBefore);
    expect(value(after, 'banter_outbox_delivered_total')).toBe(deliveredBefore + 2);
    expect(value(after, 'banter_outbox_dead_letters_total')).toBe(0);
    expect(value(after, 'banter_outbox_oldest_pending_age_seconds')).toBe(0);
  });

  it('counts dead letters and their replay by the operator', async () => {
    const broadcaster = flakyBroadcaster(() => true);
    const server = chat({ broadcaster, dispatcher: { ...FAST, maxAttempts: 2 } });
    const c = await conversation(server, 'dead', broadcaster);
    const before = await server.registry.metrics();
    const deadBefore = value(before, 'banter_outbox_dead')!;
    const deliveredBefore = value(before, 'banter_outbox_delivered_total')!;
    expect((await c.send('req-metrics-dead')).status).toBe(201);
    await until('two dead letters', async () => value(await server.registry.metrics(), 'banter_outbox_dead_letters_total') === 2);
    expect(value(await server.registry.metrics(), 'banter_outbox_dead')).toBe(deadBefore + 2);

    broadcaster.shouldFail = () => false;
    // At least these two (rows a failed earlier test left behind would be replayed too).
    expect(await server.outbox.retry({ all: true })).toBeGreaterThanOrEqual(2);
    server.dispatcher!.wake();
    await until(
      'replayed',
      () => broadcaster.sent.filter((e) => (e.data as { conversationId?: string }).conversationId === c.id).length >= 2,
    );
    await server.dispatcher!.flush();
    const text = await server.registry.metrics();
    expect(value(text, 'banter_outbox_dead')).toBe(deadBefore);
    expect(value(text, 'banter_outbox_delivered_total')).toBe(deliveredBefore + 2);
    expect(value(text, 'banter_outbox_dead_letters_total')).toBe(2);
  });

  it('labels requests by route pattern: ids and unknown paths never become label values', async () => {
    const server = chat({ broadcaster: flakyBroadcaster(), dispatch: false });
    const c = await conversation(server, 'labels');
    const get = (path: string) =>
      server.handler(new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${c.token}` } }));
    expect((await get(`/conversations/${c.id}`)).status).toBe(200);
    expect((await get(`/conversations/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await get(`/no/such/${crypto.randomUUID()}`)).status).toBe(404);
    const response = await metricsHandler(server)();
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(value(text, 'banter_http_request_duration_seconds_count', { method: 'GET', route: '/conversations/:id', status: '200' })).toBe(
      1,
    );
    expect(value(text, 'banter_http_request_duration_seconds_count', { method: 'GET', route: '/conversations/:id', status: '404' })).toBe(
      1,
    );
    expect(value(text, 'banter_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('gives each chat server its own registry', async () => {
    const a = chat({ dispatch: false });
    const b = chat({ dispatch: false });
    expect(a.registry).not.toBe(b.registry);
    await a.handler(new Request('http://localhost/health'));
    expect(value(await a.registry.metrics(), 'banter_http_request_duration_seconds_count', { route: '/health' })).toBe(1);
    expect(value(await b.registry.metrics(), 'banter_http_request_duration_seconds_count', { route: '/health' })).toBeUndefined();
  });

  it('carries the request id from the HTTP request through the outbox to the broadcaster, without bodies or tokens', async () => {
    const { lines, raw, logger } = logCapture();
    let failOnce = true;
    const broadcaster: FlakyBroadcaster = flakyBroadcaster(() => {
      const fail = failOnce;
      failOnce = false;
      return fail;
    });
    const server = chat({ broadcaster, dispatcher: { ...FAST, roundSize: 1 }, logger });
    const c = await conversation(server, 'trace', broadcaster);
    expect((await c.send('req-trace-42')).status).toBe(201);
    await until('both delivered', () => broadcaster.sent.length >= 2);
    await server.dispatcher!.flush();

    const traced = lines.filter((line) => line.requestId === 'req-trace-42');
    const request = traced.find((line) => line.msg === 'request');
    expect(request).toMatchObject({
      level: 'info',
      method: 'POST',
      route: '/conversations/:id/messages',
      status: 201,
      conversationId: c.id,
    });
    expect(typeof request?.durationMs).toBe('number');
    const failed = traced.filter((line) => line.msg === 'outbox event failed; will retry');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      level: 'warn',
      component: 'outbox',
      event: 'message.created',
      conversationId: c.id,
      seq: 1,
      attempts: 1,
    });
    const delivered = traced.filter((line) => line.msg === 'outbox event delivered');
    expect(delivered.map((line) => line.channel).sort()).toEqual(broadcaster.sent.map((e) => e.channel).sort());
    for (const line of delivered) expect(line).toMatchObject({ component: 'outbox', event: 'message.created', seq: 1 });

    const all = raw.join('\n');
    expect(all).not.toContain(BODY);
    expect(all).not.toContain(c.token);
  });

  it('logs internal errors with the request id, and redacts secrets a host adds to bindings', async () => {
    const { lines, raw, logger } = logCapture();
    logger.child({ component: 'host' }).info({ password: 'hunter2', user: { token: 'tok-123', name: 'x' } }, 'host line');
    expect(raw.join('\n')).not.toMatch(/hunter2|tok-123/);
    expect(lines[0]).toMatchObject({ password: '[redacted]', user: { token: '[redacted]', name: 'x' } });
  });

  it('answers /ready 503 while the broadcaster is unreachable, naming it', async () => {
    const broadcaster = flakyBroadcaster();
    let up = false;
    const server = chat({
      broadcaster: {
        ...broadcaster,
        async ping() {
          if (!up) throw new Error('connect ECONNREFUSED 127.0.0.1:6001');
        },
      },
      dispatch: false,
    });
    const down = await server.handler(new Request('http://localhost/ready'));
    expect(down.status).toBe(503);
    expect(((await down.json()) as { error: { message: string } }).error.message).toMatch(/broadcaster.*ECONNREFUSED/);
    up = true;
    // A failure is cached for 2 s so a probe storm does not hammer Pusher; then it is asked again.
    await until('ready', async () => (await server.handler(new Request('http://localhost/ready'))).status === 200, 5000);
  });
});
