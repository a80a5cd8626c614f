import { createECDH, randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collectProblems, launchChromium } from './support/browser';
import { widgetPage } from './support/pages';
import { type E2eServer, startE2eServer } from './support/server';

// Issue 16: the widget's notifications switch in Chromium. The permission is granted through the
// browser context; window.Notification is a spy (an init script) so what the page shows is
// readable, and document.visibilityState can be made 'hidden'. The service worker is real. The
// push service is not: Chromium refuses the Push API in Playwright's (incognito) contexts
// ("Registration failed - permission denied") and has no push service offline, so PushManager's
// subscribe answers a subscription as FCM would; its POST to the server, the server's checks and
// the DELETE are real. A click on a notification cannot be made in a headless browser: the test
// calls the page's notification's onclick, and dispatches a notificationclick in the real worker
// (an untrusted event, so its focus is refused; what it posts to the page is real). The worker's
// push and notificationclick handlers have unit tests (packages/widget/src/service-worker/handlers.test.ts).
const run = randomUUID().slice(0, 6);
const nora = `nora-${run}`;
const sam = `sam-${run}`;
const WAIT = { timeout: 20_000 };
// A VAPID key pair as `web-push generate-vapid-keys` makes one: P-256, base64url.
const ecdh = createECDH('prime256v1');
ecdh.generateKeys();
const vapid = { publicKey: ecdh.getPublicKey('base64url'), privateKey: ecdh.getPrivateKey('base64url') };
const VAPID_ENV = {
  BANTER_VAPID_PUBLIC_KEY: vapid.publicKey,
  BANTER_VAPID_PRIVATE_KEY: vapid.privateKey,
  BANTER_VAPID_SUBJECT: 'mailto:ops@banter.test',
};

let server: E2eServer;
let browser: Browser;
let samToken: string;
let conversationId: string;

beforeAll(async () => {
  // The standalone server reads its Web Push keys from the environment (docs/notifications.md).
  Object.assign(process.env, VAPID_ENV);
  [server, browser] = await Promise.all([
    startE2eServer({
      pages: {
        '/nora.html': widgetPage(nora, { attrs: { 'data-mode': 'inbox', 'data-notifications': '' } }),
      },
    }),
    launchChromium(),
  ]);
  for (const key of Object.keys(VAPID_ENV)) delete process.env[key];
  await server.token(nora);
  samToken = await server.token(sam);
  conversationId = (await server.api(samToken, 'POST', '/conversations', { participantIds: [nora] })).conversation.id;
  await server.api(samToken, 'POST', `/conversations/${conversationId}/messages`, { clientId: randomUUID(), body: 'hi Nora' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

// A browser's subscription keys: a P-256 public key and a 16-byte auth secret (base64url).
const browserKeys = { p256dh: createECDH('prime256v1').generateKeys('base64url'), auth: randomUUID().replace(/-/g, '').slice(0, 22) };

const SPY = `
  let current = null;
  PushManager.prototype.subscribe = async function (options) {
    window.__subscribedWith = options.applicationServerKey;
    const endpoint = 'https://fcm.googleapis.com/fcm/send/e2e-${run}';
    current = {
      endpoint,
      toJSON: () => ({ endpoint, expirationTime: null, keys: ${JSON.stringify(browserKeys)} }),
      unsubscribe: async () => { current = null; window.__unsubscribed = true; return true; },
    };
    return current;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
  window.__shown = [];
  window.__notes = [];
  window.__hidden = false;
  const Real = window.Notification;
  window.Notification = class {
    static get permission() { return Real.permission; }
    static requestPermission() { window.__asked = (window.__asked || 0) + 1; return Real.requestPermission(); }
    constructor(title, options) {
      window.__shown.push({ title, body: options && options.body, tag: options && options.tag });
      window.__notes.push(this);
    }
    close() {}
  };
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (window.__hidden ? 'hidden' : 'visible') });
`;

describe('widget notifications', () => {
  test('opt in on a click: the service worker registers; a hidden page shows a message from Sam as a notification; off again', async () => {
    const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
    await context.grantPermissions(['notifications'], { origin: server.url });
    await context.addInitScript(SPY);
    const page = await context.newPage();
    const problems = collectProblems(page);
    const warnings: string[] = [];
    page.on('console', (m) => m.type() === 'warning' && warnings.push(m.text()));
    await page.goto(`${server.url}/nora.html`);

    const on = page.getByRole('button', { name: 'Turn on notifications' });
    await on.waitFor(WAIT);
    // Nothing is asked before the user's click.
    expect(await page.evaluate(() => (window as { __asked?: number }).__asked ?? 0)).toBe(0);
    await on.click();
    const off = page.getByRole('button', { name: 'Turn off notifications' });
    await off.waitFor(WAIT);
    expect(await off.getAttribute('aria-pressed')).toBe('true');
    expect(await page.evaluate(() => (window as { __asked?: number }).__asked)).toBe(1);

    // The worker the standalone server serves at /banter-sw.js is registered and active.
    const worker = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration('/banter-sw.js');
      return { script: registration?.active?.scriptURL ?? null, scope: registration?.scope ?? null };
    });
    expect(worker).toEqual({ script: `${server.url}/banter-sw.js`, scope: `${server.url}/` });
    // Subscribed with the key GET /me/notification-settings answered, and registered on the server.
    expect(await page.evaluate(() => (window as { __subscribedWith?: string }).__subscribedWith)).toBe(vapid.publicKey);
    const subscriptions = () =>
      server.chat.db.kysely.selectFrom('push_subscriptions').select('endpoint').where('user_id', '=', nora).execute();
    expect(await subscriptions()).toEqual([{ endpoint: `https://fcm.googleapis.com/fcm/send/e2e-${run}` }]);

    // Hidden page, a message from Sam: one notification, the body as text.
    await page.evaluate(() => {
      (window as { __hidden?: boolean }).__hidden = true;
    });
    await server.api(samToken, 'POST', `/conversations/${conversationId}/messages`, { clientId: randomUUID(), body: '<b>lunch?</b>' });
    await expect
      .poll(() => page.evaluate(() => (window as { __shown?: unknown[] }).__shown), WAIT)
      .toEqual([{ title: expect.stringMatching(/^New message from Sam /), body: '<b>lunch?</b>', tag: `banter:${conversationId}` }]);

    // Off: the server forgets the subscription, the browser unsubscribes.
    await off.click();
    await on.waitFor(WAIT);
    await expect.poll(subscriptions, WAIT).toEqual([]);
    expect(await page.evaluate(() => (window as { __unsubscribed?: boolean }).__unsubscribed)).toBe(true);
    await server.api(samToken, 'POST', `/conversations/${conversationId}/messages`, { clientId: randomUUID(), body: 'still there?' });
    await page.waitForTimeout(1500);
    expect(await page.evaluate(() => (window as { __shown?: unknown[] }).__shown!.length)).toBe(1);
    expect(warnings.filter((w) => w.includes('[banter]'))).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  test("a click on a notification opens its conversation: the page's, the worker's, the address the worker opens; never one Nora is not in", async () => {
    const otto = `otto-${run}`;
    const ottoToken = await server.token(otto);
    const withOtto = (await server.api(ottoToken, 'POST', '/conversations', { participantIds: [nora] })).conversation.id;
    const notHers = (await server.api(samToken, 'POST', '/conversations', { participantIds: [otto] })).conversation.id;
    const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
    await context.grantPermissions(['notifications'], { origin: server.url });
    await context.addInitScript(SPY);
    const page = await context.newPage();
    const problems = collectProblems(page);
    await page.goto(`${server.url}/nora.html`);
    // The open conversation is the list's row with aria-current.
    const current = (id: string) => page.locator(`[data-conv="${id}"]`).getAttribute('aria-current', WAIT);
    expect(await current(withOtto)).toBeNull();
    expect(await current(conversationId)).toBeNull();
    await page.getByRole('button', { name: 'Turn on notifications' }).click();
    await page.getByRole('button', { name: 'Turn off notifications' }).waitFor(WAIT);

    // The page's own notification (a message from Sam while hidden), clicked: Sam's conversation.
    await page.evaluate(() => {
      (window as { __hidden?: boolean }).__hidden = true;
    });
    await server.api(samToken, 'POST', `/conversations/${conversationId}/messages`, { clientId: randomUUID(), body: 'over here' });
    await expect.poll(() => page.evaluate(() => (window as { __notes?: unknown[] }).__notes!.length), WAIT).toBe(1);
    await page.evaluate(() => (window as unknown as { __notes: { onclick(): void }[] }).__notes[0]!.onclick());
    await expect.poll(() => current(conversationId), WAIT).toBe('true');

    // The worker's notificationclick (what a click on a Web Push notification runs) posts to this tab.
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', WAIT));
    const click = (id: string) =>
      worker.evaluate((conversationId) => {
        const event = Object.assign(new Event('notificationclick'), {
          notification: { close() {}, data: { conversationId } },
          waitUntil: (done: Promise<unknown>) => done.catch(() => {}),
        });
        self.dispatchEvent(event);
      }, id);
    // Sam and Otto's conversation: the server answers 404 to Nora, nothing opens.
    const denied = page.waitForResponse((r) => r.url().endsWith(`/api/conversations/${notHers}`), WAIT);
    await click(notHers);
    expect((await denied).status()).toBe(404);
    await click(withOtto);
    await expect.poll(() => current(withOtto), WAIT).toBe('true');
    expect(await page.locator(`[data-conv="${notHers}"]`).count()).toBe(0);
    expect(await current(conversationId)).toBeNull();

    // A page the worker opens (no tab of the chat was open) carries the conversation in its address.
    await page.goto(`${server.url}/nora.html?banter-conversation=${conversationId}`);
    await expect.poll(() => current(conversationId), WAIT).toBe('true');
    expect(page.url()).toBe(`${server.url}/nora.html`);
    // The 404 of Sam and Otto's conversation, and nothing else.
    expect(problems.filter((p) => !p.includes(notHers) && !p.includes('status of 404'))).toEqual([]);
    await context.close();
  });
});
