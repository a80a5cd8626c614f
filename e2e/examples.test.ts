import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRelay, type Relay } from '@banter/server/relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Every example is started the way its README says (`pnpm start` in its folder), as a child
// process on a free port, and driven through its own HTTP surface like its page would be.

const examplesDir = fileURLToPath(new URL('../examples/', import.meta.url));
// pusher-js and pg as the server package has them (e2e has no package.json of its own).
const requireFromServer = createRequire(fileURLToPath(new URL('../packages/server/package.json', import.meta.url)));
const PusherModule = requireFromServer('pusher-js') as PusherCtor | { default: PusherCtor };
const Pusher: PusherCtor = 'default' in PusherModule ? PusherModule.default : PusherModule;

type PusherCtor = new (key: string, options: Record<string, unknown>) => PusherClient;
interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<{ rows: unknown[] }>;
  end(): Promise<void>;
}
interface PusherClient {
  connection: { state: string; bind(event: string, fn: (...args: unknown[]) => void): void };
  subscribe(name: string): { bind(event: string, fn: (data: unknown) => void): void };
  disconnect(): void;
}

/** How a host app lays out Banter: where the API is mounted, where tokens come from, how to sign in. */
interface Layout {
  api: string;
  tokenPath: string;
  login: (user: string) => string;
  /** Answers once the chat server is up (Next.js starts it on first use). */
  readyPath: string;
}
const EXPRESS_LIKE: Layout = { api: '/chat', tokenPath: '/chat-token', login: (user) => `/?as=${user}`, readyPath: '/' };
const NEXT: Layout = {
  api: '/api/chat',
  tokenPath: '/api/chat-token',
  login: (user) => `/login?as=${user}`,
  readyPath: '/api/chat/ready',
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Running {
  url: string;
  dataDir: string;
  startMs: number;
  output: () => string;
  stop: () => Promise<void>;
}

/** `pnpm start` in the example's folder, in its own process group so stop() ends all of it. */
async function startExample(name: string, env: Record<string, string>, timeoutMs: number, readyPath = '/'): Promise<Running> {
  const port = await freePort();
  const tmp = mkdtempSync(join(tmpdir(), `banter-example-${name}-`));
  // Not created yet, two levels deep: like ./.banter in a fresh checkout.
  const dataDir = join(tmp, 'nested', '.banter');
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    BANTER_DATA_DIR: dataDir,
    ...env,
  };
  // Vitest's NODE_ENV=test would make `next build` refuse; the examples choose their own.
  for (const key of Object.keys(childEnv)) if (key === 'NODE_ENV' || key.startsWith('VITEST')) delete childEnv[key];
  for (const key of Object.keys(childEnv)) if (key.startsWith('PUSHER_') && !(key in env)) delete childEnv[key];

  const started = Date.now();
  const child: ChildProcess = spawn('pnpm', ['start'], {
    cwd: join(examplesDir, name),
    env: childEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let alive = true;
  void exited.then(() => (alive = false));

  const stop = async () => {
    if (alive && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(tmp, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    for (;;) {
      if (!alive) throw new Error(`${name} exited before answering:\n${output}`);
      if (Date.now() - started > timeoutMs) throw new Error(`${name} did not answer within ${timeoutMs} ms:\n${output}`);
      const ok = await fetch(url + readyPath, { redirect: 'manual', signal: AbortSignal.timeout(60_000) }).then(
        (res) => res.status < 500,
        () => false,
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const startMs = Date.now() - started;
  console.log(`[examples] ${name} answered after ${startMs} ms`);
  return { url, dataDir, startMs, output: () => output, stop };
}

/** Sign in the way the example's fake login works and return the session cookie. */
async function signIn(url: string, layout: Layout, user: string): Promise<string> {
  const res = await fetch(url + layout.login(user), { redirect: 'manual' });
  expect([302, 303, 307]).toContain(res.status);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('demo_user='));
  expect(cookie, 'the fake login sets a demo_user cookie').toBeDefined();
  return cookie!.split(';')[0]!;
}

/** A token the way the page's widget gets one (data-token-url / getToken: GET with the cookie). */
async function tokenFor(url: string, layout: Layout, cookie: string): Promise<string> {
  const res = await fetch(url + layout.tokenPath, { headers: { cookie } });
  expect(res.status).toBe(200);
  const { token } = (await res.json()) as { token: string };
  expect(token).toMatch(/^eyJ/);
  return token;
}

function waitFor<T>(what: string, ms: number, register: (done: (value: T) => void, fail: (error: Error) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    register(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

interface RealtimeConfig {
  key: string;
  cluster: string;
  wsHost: string | null;
  wsPort: number | null;
  forceTLS: boolean;
}

/** pusher-js configured from the example's /config, authorizing channels at its /realtime/auth. */
function connectPusher(url: string, layout: Layout, config: RealtimeConfig, token: string): PusherClient {
  const here = new URL(url);
  const sameHost = config.wsHost === null;
  return new Pusher(config.key, {
    cluster: config.cluster || 'mt1',
    wsHost: sameHost ? here.hostname : config.wsHost,
    wsPort: sameHost ? Number(here.port) : config.wsPort,
    forceTLS: sameHost ? false : config.forceTLS,
    enabledTransports: ['ws'],
    disableStats: true,
    channelAuthorization: {
      endpoint: `${url}${layout.api}/realtime/auth`,
      transport: 'ajax',
      // What @banter/core does: the form pusher-js would post, with the bearer token.
      customHandler: (
        { socketId, channelName }: { socketId: string; channelName: string },
        callback: (error: Error | null, data: unknown) => void,
      ) => {
        fetch(`${url}${layout.api}/realtime/auth`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ socket_id: socketId, channel_name: channelName }),
        })
          .then(async (res) => (res.ok ? callback(null, await res.json()) : callback(new Error(`auth ${res.status}`), null)))
          .catch((error: Error) => callback(error, null));
      },
    },
  });
}

/** The whole round trip a page does: sign in, token, conversation, send, realtime delivery. */
async function chatRoundTrip(url: string, layout: Layout, label: string): Promise<RealtimeConfig> {
  const api = url + layout.api;
  const [alice, bob] = [`alice-${label}`, `bob-${label}`];
  const aliceToken = await tokenFor(url, layout, await signIn(url, layout, alice));
  const bobToken = await tokenFor(url, layout, await signIn(url, layout, bob));

  // Without the session cookie there is no token.
  expect((await fetch(url + layout.tokenPath)).status).toBe(401);

  const config = (await (await fetch(`${api}/config`)).json()) as RealtimeConfig;
  const pusher = connectPusher(url, layout, config, bobToken);
  try {
    const channel = pusher.subscribe(`private-user.${bob}`);
    await waitFor<void>(`${bob} to subscribe`, 15_000, (done, fail) => {
      channel.bind('pusher:subscription_succeeded', () => done());
      channel.bind('pusher:subscription_error', (error) => fail(new Error(`subscription refused: ${JSON.stringify(error)}`)));
    });
    const received = waitFor<{ conversationId: string; seq: number; message?: { body: string } }>('message.created', 15_000, (done) =>
      channel.bind('message.created', (data) => done(data as never)),
    );

    const auth = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
    const me = await fetch(`${api}/me`, { headers: auth(bobToken) });
    expect(((await me.json()) as { user: { id: string } }).user.id).toBe(bob);
    const created = await fetch(`${api}/conversations`, {
      method: 'POST',
      headers: auth(aliceToken),
      body: JSON.stringify({ participantIds: [bob] }),
    });
    expect([200, 201]).toContain(created.status);
    const { conversation } = (await created.json()) as { conversation: { id: string } };
    const sent = await fetch(`${api}/conversations/${conversation.id}/messages`, {
      method: 'POST',
      headers: auth(aliceToken),
      body: JSON.stringify({ clientId: crypto.randomUUID(), body: `hello from ${label}` }),
    });
    expect(sent.status).toBe(201);

    const event = await received;
    expect(event).toMatchObject({ conversationId: conversation.id, seq: 1, message: { body: `hello from ${label}` } });
    return config;
  } finally {
    pusher.disconnect();
  }
}

/** The page embeds the widget from the example's own /widget.js, pointed at its API. */
async function checkPage(url: string, layout: Layout): Promise<void> {
  const cookie = await signIn(url, layout, 'alice');
  const html = await (await fetch(`${url}/`, { headers: { cookie } })).text();
  expect(html).toContain('src="/widget.js"');
  expect(html).toContain(`data-url="${layout.api}"`);
  expect(html).toContain(`data-token-url="${layout.tokenPath}"`);
  const script = await fetch(`${url}/widget.js`);
  expect(script.status).toBe(200);
  expect(script.headers.get('content-type')).toMatch(/javascript/);
  expect(await script.text()).toContain('Banter');
}

const START_TIMEOUT = 60_000;

describe.each(['express', 'hono', 'fastify'])('examples/%s', (name) => {
  let app: Running;
  beforeAll(async () => {
    app = await startExample(name, {}, START_TIMEOUT);
  }, START_TIMEOUT + 10_000);
  afterAll(() => app?.stop());

  it('serves a page with the widget script, keeping PGlite data in BANTER_DATA_DIR/db', async () => {
    await checkPage(app.url, EXPRESS_LIKE);
    expect(existsSync(join(app.dataDir, 'db', 'PG_VERSION'))).toBe(true);
  });

  it('mints tokens for the signed-in user and delivers message.created over its embedded relay', async () => {
    const config = await chatRoundTrip(app.url, EXPRESS_LIKE, name);
    // The embedded relay rides on the app's own port.
    expect(config.wsHost).toBeNull();
  });
});

// The same example on PostgreSQL through DATABASE_URL, in a database of its own.
const testDatabaseUrl = process.env.TEST_DATABASE_URL;
if (testDatabaseUrl) {
  describe('examples/express on PostgreSQL (DATABASE_URL)', () => {
    const pg = requireFromServer('pg') as { Client: new (config: { connectionString: string }) => PgClient };
    const dbName = `banter_examples_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    let app: Running;
    beforeAll(async () => {
      await admin.connect();
      await admin.query(`create database ${dbName}`);
      const url = new URL(testDatabaseUrl);
      url.pathname = `/${dbName}`;
      app = await startExample('express', { DATABASE_URL: url.href }, START_TIMEOUT);
    }, START_TIMEOUT + 10_000);
    afterAll(async () => {
      await app?.stop();
      await admin.query(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    });

    it('stores the chat in that database and delivers message.created', async () => {
      await chatRoundTrip(app.url, EXPRESS_LIKE, 'express-pg');
      const url = new URL(testDatabaseUrl);
      url.pathname = `/${dbName}`;
      const client = new pg.Client({ connectionString: url.href });
      await client.connect();
      try {
        const { rows } = await client.query('select body from banter.messages');
        expect(rows).toEqual([{ body: 'hello from express-pg' }]);
      } finally {
        await client.end();
      }
    });
  });
}

describe('examples/pusher (PUSHER_* pointed at a relay of this test)', () => {
  const APP = { id: 'example-app', key: 'example-key', secret: 'example-relay-secret' };
  let relay: Relay;
  let relayPort: number;
  let app: Running;
  beforeAll(async () => {
    relay = createRelay({ apps: [APP] });
    ({ port: relayPort } = await relay.listen(0, '127.0.0.1'));
    app = await startExample(
      'pusher',
      {
        PUSHER_APP_ID: APP.id,
        PUSHER_APP_KEY: APP.key,
        PUSHER_APP_SECRET: APP.secret,
        PUSHER_HOST: '127.0.0.1',
        PUSHER_PORT: String(relayPort),
        PUSHER_SCHEME: 'http',
      },
      START_TIMEOUT,
    );
  }, START_TIMEOUT + 10_000);
  afterAll(async () => {
    await app?.stop();
    await relay?.close();
  });

  it('tells clients to connect to the Pusher-protocol service, not to itself', async () => {
    const config = (await (await fetch(`${app.url}/chat/config`)).json()) as RealtimeConfig;
    expect(config).toMatchObject({ key: APP.key, wsHost: '127.0.0.1', wsPort: relayPort, forceTLS: false });
  });

  it('delivers message.created through that service', async () => {
    const before = relay.stats().messagesOut;
    await chatRoundTrip(app.url, EXPRESS_LIKE, 'pusher');
    // The event went out through the test's relay (published over its HTTP API by the pusher SDK).
    expect(relay.stats().httpRequests).toBeGreaterThan(0);
    expect(relay.stats().messagesOut).toBeGreaterThan(before);
  });

  it('refuses to start without the PUSHER_* variables, naming what is missing', async () => {
    await expect(startExample('pusher', { PUSHER_APP_ID: APP.id }, 20_000)).rejects.toThrow(/PUSHER_APP_KEY/);
  }, 30_000);
});

describe('examples/nextjs (next dev, Turbopack)', () => {
  const NEXT_TIMEOUT = 240_000;
  let app: Running;
  beforeAll(async () => {
    app = await startExample(
      'nextjs',
      { RELAY_PORT: String(await freePort()), NEXT_TELEMETRY_DISABLED: '1' },
      NEXT_TIMEOUT,
      NEXT.readyPath,
    );
  }, NEXT_TIMEOUT + 10_000);
  afterAll(() => app?.stop());

  it('renders the page with the client component for the signed-in user', async () => {
    const cookie = await signIn(app.url, NEXT, 'alice');
    const res = await fetch(`${app.url}/`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/Signed in as <b>alice<\/b>/);
  }, 120_000);

  it('mints tokens in a route handler and delivers message.created over the relay on RELAY_PORT', async () => {
    const config = await chatRoundTrip(app.url, NEXT, 'nextjs');
    expect(config.wsHost).toBe('127.0.0.1');
    expect(config.wsPort).not.toBe(Number(new URL(app.url).port));
  }, 120_000);
});

describe.each(['index.html', 'bob.html'])('examples/script-tag/%s', (file) => {
  const html = readFileSync(join(examplesDir, 'script-tag', file), 'utf8');
  const tags = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);

  it('embeds the widget with one script tag whose data- attributes are documented options', () => {
    const widgetTags = tags.filter((attrs) => /\bsrc="[^"]*\/widget\.js"/.test(attrs));
    expect(widgetTags).toHaveLength(1);
    const attrs = Object.fromEntries([...widgetTags[0]!.matchAll(/\b(data-[a-z-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    // The names parseDataAttributes reads (packages/widget/src/data-attributes.ts).
    const documented = [
      'data-url',
      'data-token',
      'data-token-url',
      'data-get-token',
      'data-mode',
      'data-target',
      'data-conversation-with',
      'data-locale',
      'data-theme',
      'data-theme-accent',
      'data-theme-accent-text',
      'data-theme-radius',
      'data-theme-font',
      'data-open',
    ];
    for (const name of Object.keys(attrs)) expect(documented).toContain(name);
    expect(attrs['data-url']).toMatch(/\/api$/);
    expect(attrs['data-token-url'] ?? attrs['data-token'] ?? attrs['data-get-token']).toBeTruthy();
    const source = readFileSync(fileURLToPath(new URL('../packages/widget/src/data-attributes.ts', import.meta.url)), 'utf8');
    for (const name of Object.keys(attrs)) {
      const camel = name.slice(5).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
      expect(source, `${name} is read by the widget`).toContain(`d.${camel}`);
    }
    // A data-target must exist on the page.
    if (attrs['data-target']) expect(html).toContain(`id="${attrs['data-target'].replace(/^#/, '')}"`);
  });

  it('has no inline script (it works under a strict CSP)', () => {
    expect(tags.every((attrs) => /\bsrc=/.test(attrs))).toBe(true);
  });
});
