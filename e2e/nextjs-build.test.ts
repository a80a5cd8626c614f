import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectProblems, launchChromium } from './support/browser';
import { freePort, type RunningApp, runApp } from './support/run-app';

// examples/nextjs in production mode: `next build` then `next start` (pnpm start:prod). Its /chat
// page is rendered on the server with the thread's messages in the HTML, then hydrated in
// Chromium, where @banter/react's hooks take over live.
describe('examples/nextjs (next build + next start): a server-rendered chat page that hydrates', () => {
  let app: RunningApp;
  let browser: Browser;
  const run = Math.random().toString(36).slice(2, 8);
  const alice = `alice-${run}`;
  const bob = `bob-${run}`;

  beforeAll(async () => {
    const env = { RELAY_PORT: String(await freePort()), NEXT_TELEMETRY_DISABLED: '1' };
    [app, browser] = await Promise.all([
      runApp('nextjs', 'start:prod', { env, timeoutMs: 420_000, readyPath: '/api/chat/ready' }),
      launchChromium(),
    ]);
  }, 440_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function signIn(user: string): Promise<{ cookie: string; token: string }> {
    const login = await fetch(`${app.url}/login?as=${user}`, { redirect: 'manual' });
    const cookie = login.headers
      .getSetCookie()
      .find((c) => c.startsWith('demo_user='))!
      .split(';')[0]!;
    const res = await fetch(`${app.url}/api/chat-token`, { headers: { cookie } });
    return { cookie, token: ((await res.json()) as { token: string }).token };
  }
  const api = (token: string, path: string, body?: unknown) =>
    fetch(`${app.url}/api/chat${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    }).then((res) => res.json() as Promise<unknown>);

  it('serves the thread in the HTML, hydrates without a mismatch, then sends and receives live', async () => {
    const a = await signIn(alice);
    const b = await signIn(bob);
    const { conversation } = (await api(b.token, '/conversations', { participantIds: [alice] })) as { conversation: { id: string } };
    await api(b.token, `/conversations/${conversation.id}/messages`, { clientId: crypto.randomUUID(), body: 'written before the page' });

    // The server's HTML already holds the message: server rendering, not a browser fetch.
    const html = await (await fetch(`${app.url}/chat?with=${bob}`, { headers: { cookie: a.cookie } })).text();
    expect(html).toContain('written before the page');
    expect(html).toContain('data-hydrated="false"');
    expect(html).toContain('server-rendered');

    const context = await browser.newContext();
    await context.addCookies([{ name: 'demo_user', value: alice, url: app.url }]);
    const page = await context.newPage();
    const problems = collectProblems(page);
    // Name what failed to load (Chromium's console line has no URL).
    page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`));
    await page.goto(`${app.url}/chat?with=${bob}`);
    await page.locator('section[data-hydrated="true"]').waitFor({ timeout: 30_000 });
    await page.getByTestId('connection').filter({ hasText: 'connected' }).waitFor({ timeout: 30_000 });
    await page.locator('li', { hasText: 'written before the page' }).waitFor();

    await page.getByLabel('Message').fill('sent after hydration');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.locator('li[data-status="sent"], li[data-status="read"]', { hasText: 'sent after hydration' }).waitFor({ timeout: 20_000 });
    const stored = (await api(b.token, `/conversations/${conversation.id}/messages`)) as { messages: { body: string }[] };
    expect(stored.messages.map((m) => m.body)).toEqual(['written before the page', 'sent after hydration']);

    // And live: Bob's next message arrives over the relay without a reload.
    await api(b.token, `/conversations/${conversation.id}/messages`, { clientId: crypto.randomUUID(), body: 'live from bob' });
    await page.locator('li', { hasText: 'live from bob' }).waitFor({ timeout: 20_000 });

    // A hydration mismatch would be a console error (React 19 reports every one).
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
