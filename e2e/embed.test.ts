import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collectProblems, launchChromium } from './support/browser';
import { type E2eServer, startE2eServer } from './support/server';

// The script-tag embed as a customer's page would use it, served from the same origin as the API.
const run = randomUUID().slice(0, 6);
const erin = `erin-${run}`;
const frank = `frank-${run}`;
const WAIT = { timeout: 20_000 };
const CSP = "default-src 'self'; script-src 'self'; connect-src 'self' ws:";

function embedPage(title: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title><link rel="stylesheet" href="/embed.css"></head>
<body>
  <h1>${title}</h1>
  <div id="chat"></div>
  <script src="/widget.js" data-url="/api" data-token-url="/api/dev/token?user=${erin}"
          data-mode="inline" data-conversation-with="${frank}" data-target="#chat"></script>
</body>
</html>`;
}

// Payloads that would run if any part of the widget wrote message bodies as HTML.
const PAYLOADS = [
  `<img src=x onerror="window.__xss='img'">`,
  `<script>window.__xss='script'</script>`,
  `<svg onload="window.__xss='svg'"><circle r="5"/></svg>`,
  `"><iframe srcdoc="<script>parent.__xss='iframe'</script>"></iframe>`,
  `<a href="javascript:window.__xss='anchor'">click me</a>`,
  `javascript:window.__xss='bare'`,
  `<style>*{display:none}</style><b onmouseover="window.__xss='b'">bold?</b>`,
  `{{constructor.constructor('window.__xss=1')()}} \${window.__xss='template'}`,
];

let server: E2eServer;
let browser: Browser;
let frankToken: string;
let conversationId: string;

const apiAs = (token: string, method: string, path: string, body?: unknown) => server.api(token, method, path, body);

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startE2eServer({
      pages: {
        '/embed-csp.html': { body: embedPage('Strict CSP host page'), headers: { 'content-security-policy': CSP } },
        '/embed-plain.html': { body: embedPage('Host page without CSP') },
        '/embed.css': {
          body: 'body{font-family:sans-serif;margin:24px}#chat{height:560px;max-width:720px;border:1px solid #ddd}',
          contentType: 'text/css',
        },
      },
    }),
    launchChromium(),
  ]);
  await server.token(erin);
  frankToken = await server.token(frank);
  conversationId = (await apiAs(frankToken, 'POST', '/conversations', { participantIds: [erin] })).conversation.id;
  // Half the payloads are history (loaded over HTTP), half arrive live (over the relay) below.
  for (const body of PAYLOADS.slice(0, 4)) {
    await apiAs(frankToken, 'POST', `/conversations/${conversationId}/messages`, { clientId: randomUUID(), body });
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function openEmbed(path: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 760 } });
  const page = await context.newPage();
  const problems = collectProblems(page);
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs++;
    void dialog.dismiss();
  });
  // Registered before any page script runs, so a violation during start-up is seen too.
  await page.addInitScript(() => {
    (window as unknown as { __violations: string[] }).__violations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __violations: string[] }).__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await page.goto(`${server.url}${path}`);
  problems.push(...(dialogs ? [`${dialogs} dialog(s) opened`] : []));
  return { page, problems };
}

describe('script-tag embed', () => {
  test('works under a strict CSP with no violation reported', async () => {
    const { page, problems } = await openEmbed('/embed-csp.html');
    const response = await page.request.get(`${server.url}/embed-csp.html`);
    expect(response.headers()['content-security-policy']).toBe(CSP);

    await page.locator('.bubble', { hasText: 'onerror' }).waitFor(WAIT);
    const text = `hello from a strict page ${run}`;
    await page.locator('textarea').fill(text);
    await page.locator('textarea').press('Enter');
    await page.locator('.msg', { hasText: text }).locator('.status', { hasText: 'Sent' }).waitFor(WAIT);
    // Realtime works under connect-src 'self' ws: (a message from Frank arrives without reload).
    await apiAs(frankToken, 'POST', `/conversations/${conversationId}/messages`, { clientId: randomUUID(), body: `live reply ${run}` });
    await page.locator('.bubble', { hasText: `live reply ${run}` }).waitFor(WAIT);

    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  test('a lazy chunk (the emoji picker) loads from next to widget.js under the strict CSP and works', async () => {
    const { page, problems } = await openEmbed('/embed-csp.html');
    const chunks: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      // Not the message actions: they load when the pointer is over the list, which the closing
      // picker can leave it over (the test is about the picker's chunk).
      if (/\/widget\.[\w-]+\.js$/.test(path) && path !== '/widget.message-actions.js') chunks.push(path);
    });
    await page.locator('.bubble', { hasText: 'onerror' }).waitFor(WAIT);
    // Nothing lazy loads before it is used.
    expect(chunks).toEqual([]);
    await page.locator('textarea').fill('party time ');
    await page.getByRole('button', { name: 'Insert emoji' }).click();
    const picker = page.getByRole('dialog', { name: 'Insert emoji' });
    await picker.waitFor(WAIT);
    expect(chunks).toEqual(['/widget.emoji-picker.js']);
    // The chunk's hooks and context are widget.js's (one preact): search, pick, insert.
    await picker.getByRole('searchbox').fill('tada');
    await picker.getByRole('searchbox').press('Enter');
    await picker.waitFor({ state: 'detached', ...WAIT });
    expect(await page.locator('textarea').inputValue()).toBe('party time 🎉');
    // Opened again: no second load.
    await page.getByRole('button', { name: 'Insert emoji' }).click();
    await picker.getByRole('button', { name: 'red heart' }).click();
    expect(await page.locator('textarea').inputValue()).toBe('party time 🎉❤️');
    expect(chunks).toEqual(['/widget.emoji-picker.js']);
    // The chunk's script element is gone again; only the one global.
    expect(await page.locator('script[src*="widget.emoji-picker"]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  test("core's lazy modules (moderation) load as chunks of the script tag under the strict CSP and work", async () => {
    const { page, problems } = await openEmbed('/embed-csp.html');
    const chunks: string[] = [];
    page.on('request', (request) => {
      if (/\/widget\.[\w-]+\.js$/.test(new URL(request.url()).pathname)) chunks.push(new URL(request.url()).pathname);
    });
    await page.locator('.bubble', { hasText: 'onerror' }).waitFor(WAIT);
    // The chunk takes core's error class and store from widget.js: a refusal is a BanterError of
    // the page's client, and a mute shows in the state the widget renders.
    const result = await page.evaluate(async (id) => {
      type Banter = { ready: Promise<{ client: any }> };
      const { client } = await (window as unknown as { Banter: Banter }).Banter.ready;
      const refused = await client.moderation.mute('not-a-conversation').then(
        () => 'accepted',
        (error: { name: string; status?: number }) => `${error.name} ${error.status}`,
      );
      await client.moderation.mute(id);
      const muted = client.store.getSnapshot().conversations[id]?.conversation.muted;
      await client.moderation.unmute(id);
      return { refused, muted, after: client.store.getSnapshot().conversations[id]?.conversation.muted };
    }, conversationId);
    expect(result).toEqual({ refused: 'BanterError 404', muted: true, after: false });
    expect(chunks).toEqual(['/widget.core-moderation.js']);
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    // The one refusal asked for above, and nothing else.
    expect(problems.filter((p) => !/not-a-conversation|status of 404/.test(p))).toEqual([]);
    await page.context().close();
  });

  test('message bodies full of HTML and script appear as text and nothing executes (page without CSP)', async () => {
    const { page, problems } = await openEmbed('/embed-plain.html');
    await page.locator('.bubble', { hasText: 'onerror' }).waitFor(WAIT);
    for (const body of PAYLOADS.slice(4)) {
      await apiAs(frankToken, 'POST', `/conversations/${conversationId}/messages`, { clientId: randomUUID(), body });
    }
    await page.locator('.bubble', { hasText: 'template' }).waitFor(WAIT);
    // Hover and click everything in the bubbles, as a curious user would.
    for (const bubble of await page.locator('.bubble').all()) {
      await bubble.hover();
      await bubble.click({ position: { x: 5, y: 5 } });
    }

    const texts = await page.locator('.bubble').evaluateAll((elements) =>
      elements.map((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        for (const extra of copy.querySelectorAll('.sr, .time')) extra.remove();
        return copy.textContent ?? '';
      }),
    );
    for (const payload of PAYLOADS) expect(texts).toContain(payload);
    const injected = await page
      .locator('.bubble')
      .evaluateAll((elements) =>
        elements.flatMap((el) => Array.from(el.querySelectorAll('img, script, svg, iframe, style, b')).map((e) => e.tagName)),
      );
    expect(injected).toEqual([]);
    const hrefs = await page.locator('.bubble a').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
    for (const href of hrefs) expect(href).toMatch(/^https?:/);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
