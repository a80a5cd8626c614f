import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collectProblems, launchChromium } from './support/browser';
import { type E2eServer, startE2eServer } from './support/server';

// `private-encrypted-` channels in the script tag: a host page (strict CSP) uses `Banter.Pusher`,
// the pusher-js that widget.js bundles, against the embedded relay; widget.pusher-encryption.js
// loads only then. The host's backend (here a route) authorizes with the `pusher` SDK and its
// encryptionMasterKeyBase64, which also encrypts the trigger: the relay carries ciphertext only.

interface Sdk {
  trigger(channel: string, event: string, data: unknown): Promise<unknown>;
  authorizeChannel(socketId: string, channel: string): { auth: string; shared_secret?: string };
}
type SdkCtor = new (options: Record<string, unknown>) => Sdk;
const requireFromServer = createRequire(fileURLToPath(new URL('../packages/server/package.json', import.meta.url)));
const PusherServer = requireFromServer('pusher') as SdkCtor;

const run = randomUUID().slice(0, 6);
const WAIT = { timeout: 20_000 };
const CSP = "default-src 'self'; script-src 'self'; connect-src 'self' ws:";
const app = { id: 'banter', key: randomBytes(8).toString('hex'), secret: randomBytes(16).toString('hex') };
const masterKey = randomBytes(32).toString('base64');
const SECRET_TEXT = `launch code ${run}`;

// The host page's own script (script-src 'self': no inline script). `?channel=` picks the channel.
const HOST_JS = `
const params = new URLSearchParams(location.search);
const pusher = new Banter.Pusher(params.get('key'), {
  cluster: 'local', wsHost: location.hostname, wsPort: Number(location.port), forceTLS: false,
  enabledTransports: ['ws'],
  channelAuthorization: { endpoint: '/host/pusher-auth', transport: 'ajax' },
});
window.__events = []; window.__errors = []; window.__log = []; window.__subscribed = false;
Banter.Pusher.log = (message) => window.__log.push(message);
window.subscribeEncrypted = (name) => {
  const channel = pusher.subscribe(name);
  channel.bind('pusher:subscription_succeeded', () => { window.__subscribed = true; });
  channel.bind('pusher:subscription_error', (e) => window.__errors.push(e));
  channel.bind('order', (data) => window.__events.push(data));
};
`;
const HOST_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Encrypted channel host</title></head>
<body><div id="chat"></div>
<script src="/widget.js" data-url="/api" data-token-url="/api/dev/token?user=enc-${run}" data-mode="inline" data-target="#chat"></script>
<script src="/host.js"></script></body></html>`;

let server: E2eServer;
let browser: Browser;
let sdk: Sdk;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startE2eServer({
      realtime: { kind: 'embedded', app },
      pages: {
        '/encrypted.html': { body: HOST_HTML, headers: { 'content-security-policy': CSP } },
        '/host.js': { body: HOST_JS, contentType: 'text/javascript' },
      },
    }),
    launchChromium(),
  ]);
  sdk = new PusherServer({
    appId: app.id,
    key: app.key,
    secret: app.secret,
    host: '127.0.0.1',
    port: String(server.port),
    useTLS: false,
    encryptionMasterKeyBase64: masterKey,
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The host page, its backend's channel authorization (signed by `signer`) and what its WebSocket received. */
async function openHost(signer: Sdk): Promise<{ page: Page; problems: string[]; frames: string[]; chunks: string[]; auths: string[] }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = collectProblems(page);
  const frames: string[] = [];
  const chunks: string[] = [];
  const auths: string[] = [];
  page.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => frames.push(String(payload))));
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (/^\/widget\.[\w-]+\.js$/.test(path)) chunks.push(path);
  });
  // The host's backend: pusher-js POSTs socket_id and channel_name; the SDK adds shared_secret.
  await page.route('**/host/pusher-auth', async (route) => {
    const form = new URLSearchParams(route.request().postData() ?? '');
    auths.push(form.get('channel_name')!);
    const auth = signer.authorizeChannel(form.get('socket_id')!, form.get('channel_name')!);
    await route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(auth) });
  });
  await page.goto(`${server.url}/encrypted.html?key=${app.key}`);
  // The widget itself is up (its own connection, its own channels) next to the page's.
  expect(
    await page.evaluate(() => (window as unknown as { Banter: { ready: Promise<unknown> } }).Banter.ready.then((w) => w !== null)),
  ).toBe(true);
  return { page, problems, frames, chunks, auths };
}

describe('script tag: encrypted channels', () => {
  test('the chunk loads on first use; the page decrypts what the SDK encrypted; the relay forwarded only ciphertext', async () => {
    const { page, problems, frames, chunks } = await openHost(sdk);
    const channel = `private-encrypted-orders-${run}`;
    expect(chunks).toEqual([]);

    await page.evaluate((name) => (window as unknown as { subscribeEncrypted(n: string): void }).subscribeEncrypted(name), channel);
    await page.waitForFunction(() => (window as unknown as { __subscribed: boolean }).__subscribed, null, WAIT);
    expect(chunks).toEqual(['/widget.pusher-encryption.js']);

    await sdk.trigger(channel, 'order', { text: SECRET_TEXT, items: ['ü', '✓'] });
    await page.waitForFunction(() => (window as unknown as { __events: unknown[] }).__events.length > 0, null, WAIT);
    expect(await page.evaluate(() => (window as unknown as { __events: unknown[] }).__events)).toEqual([
      { text: SECRET_TEXT, items: ['ü', '✓'] },
    ]);

    // What the relay forwarded to the page: {nonce, ciphertext}, never the words.
    const forwarded = frames
      .map((f) => JSON.parse(f) as { event: string; channel?: string; data?: string })
      .filter((m) => m.event === 'order');
    expect(forwarded).toHaveLength(1);
    expect(Object.keys(JSON.parse(forwarded[0]!.data!)).sort()).toEqual(['ciphertext', 'nonce']);
    expect(frames.join('\n')).not.toContain('launch code');
    expect(await page.locator('script[src*="widget.pusher-encryption"]').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  test('refused: an authorization signed with another secret fails the subscription; another master key cannot read', async () => {
    const forger = new PusherServer({
      appId: app.id,
      key: app.key,
      secret: 'not-the-secret',
      host: '127.0.0.1',
      encryptionMasterKeyBase64: masterKey,
    });
    const forged = await openHost(forger);
    await forged.page.evaluate(
      (name) => (window as unknown as { subscribeEncrypted(n: string): void }).subscribeEncrypted(name),
      `private-encrypted-forged-${run}`,
    );
    await forged.page.waitForFunction(() => (window as unknown as { __errors: unknown[] }).__errors.length > 0, null, WAIT);
    expect(await forged.page.evaluate(() => (window as unknown as { __subscribed: boolean }).__subscribed)).toBe(false);
    await forged.page.context().close();

    const otherKey = new PusherServer({
      appId: app.id,
      key: app.key,
      secret: app.secret,
      host: '127.0.0.1',
      encryptionMasterKeyBase64: randomBytes(32).toString('base64'),
    });
    const eavesdropper = await openHost(otherKey);
    const channel = `private-encrypted-eaves-${run}`;
    await eavesdropper.page.evaluate(
      (name) => (window as unknown as { subscribeEncrypted(n: string): void }).subscribeEncrypted(name),
      channel,
    );
    await eavesdropper.page.waitForFunction(() => (window as unknown as { __subscribed: boolean }).__subscribed, null, WAIT);
    await sdk.trigger(channel, 'order', { text: SECRET_TEXT });
    // It arrives, fails to decrypt, the channel asks for a new key once (the same wrong one) and drops it.
    await eavesdropper.page.waitForFunction(
      () => (window as unknown as { __log: string[] }).__log.some((m) => m.includes('Failed to decrypt event with new key')),
      null,
      WAIT,
    );
    expect(eavesdropper.frames.some((f) => f.includes('"order"'))).toBe(true);
    expect(eavesdropper.auths).toEqual([channel, channel]);
    expect(await eavesdropper.page.evaluate(() => (window as unknown as { __events: unknown[] }).__events)).toEqual([]);
    await eavesdropper.page.context().close();
  });
});
