import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeWidgets } from './support/axe';
import { collectProblems, launchChromium } from './support/browser';
import { widgetPage } from './support/pages';
import { type E2eServer, startE2eServer } from './support/server';

// axe-core inside the widget's shadow root, every rule and impact level, in six states a user meets.
const run = randomUUID().slice(0, 6);
const ana = `ana-${run}`;
const ben = `ben-${run}`;
const cem = `cem-${run}`;
const dora = `dora-${run}`;
const eli = `eli-${run}`;
const WAIT = { timeout: 20_000 };

function page(body: string): { body: string } {
  return {
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Host</title></head><body>${body}</body></html>`,
  };
}
const script = (user: string, attrs: string) =>
  `<script src="/widget.js" data-url="/api" data-token-url="/api/dev/token?user=${user}" ${attrs}></script>`;
/** A shop's page (its heading `shop`) with the popup widget. */
const popup = (user: string, shop: string, attrs: Record<string, string> = {}) =>
  widgetPage(user, {
    title: 'Host',
    viewport: true,
    box: false,
    host: `<main><h1>${shop}</h1></main>`,
    attrs: { 'data-mode': 'popup', ...attrs },
  });

let server: E2eServer;
let browser: Browser;
let context: BrowserContext;

const api = (token: string, method: string, path: string, body?: unknown) => server.api(token, method, path, body);

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startE2eServer({
      pages: {
        '/inbox.html': page(`<div id="a" style="height:560px"></div><div id="b" style="height:560px"></div>
          ${script(ana, `data-target="#a" data-mode="inbox" data-theme="light"`)}
          ${script(ben, `data-target="#b" data-mode="inbox" data-theme="dark"`)}`),
        '/popup.html': popup(dora, 'Shop'),
        '/popup-de.html': popup(eli, 'Laden', { 'data-locale': 'de', 'data-theme': 'dark' }),
      },
    }),
    launchChromium(),
  ]);
  const [anaToken, benToken, cemToken, doraToken] = (await Promise.all([ana, ben, cem, dora, eli].map((u) => server.token(u)))) as [
    string,
    string,
    string,
    string,
  ];
  const direct = (await api(benToken, 'POST', '/conversations', { participantIds: [ana] })).conversation.id;
  const group = (await api(cemToken, 'POST', '/conversations', { participantIds: [ana, ben], title: 'Trip' })).conversation.id;
  const toDora = (await api(cemToken, 'POST', '/conversations', { participantIds: [dora] })).conversation.id;
  const hike = (await api(cemToken, 'POST', '/conversations', { participantIds: [dora, eli], title: 'Hike' })).conversation.id;
  for (const [token, id, body] of [
    [anaToken, direct, 'Hi Ben, see https://example.com/plan'],
    [benToken, direct, 'مرحبا! Sounds good.'],
    [benToken, direct, 'Tomorrow at ten?'],
    [cemToken, group, 'Who brings the tent?'],
    [anaToken, group, 'I do'],
    [cemToken, toDora, 'Are you coming on Sunday?'],
    [cemToken, hike, 'Sunday, 9:00 at the station'],
    [doraToken, hike, 'Count me in'],
  ] as const) {
    await api(token, 'POST', `/conversations/${id}/messages`, { clientId: randomUUID(), body });
  }
  await api(cemToken, 'POST', `/conversations/${group}/read`, {});
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(path: string, options: { width: number; height: number; dark?: boolean }): Promise<{ page: Page; problems: string[] }> {
  context = await browser.newContext({
    viewport: { width: options.width, height: options.height },
    bypassCSP: true,
    colorScheme: options.dark ? 'dark' : 'light',
    // No opening animation: axe must see the colours at rest, not mid-fade.
    reducedMotion: 'reduce',
  });
  const p = await context.newPage();
  const problems = collectProblems(p);
  await p.goto(`${server.url}${path}`);
  return { page: p, problems };
}

describe('axe inside the widget: 0 violations of any level', () => {
  test('1-2: two inbox widgets on one page (light and dark), a conversation open in each', async () => {
    const { page: p, problems } = await open('/inbox.html', { width: 1100, height: 1300 });
    const a = p.locator('#a');
    const b = p.locator('#b');
    await a.locator('.conv', { hasText: 'Tomorrow' }).click();
    await a.locator('.bubble', { hasText: 'Tomorrow' }).waitFor(WAIT);
    expect(await axeWidgets(p)).toEqual([]);
    await b.locator('.conv', { hasText: 'Trip' }).click();
    await b.locator('.bubble', { hasText: 'I do' }).waitFor(WAIT);
    await a.locator('.conv', { hasText: 'Trip' }).click();
    await a.locator('.status', { hasText: /Read/ }).waitFor(WAIT);
    expect(await axeWidgets(p)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('3-4: the popup: closed with its unread badge, then open on a phone', async () => {
    const { page: p, problems } = await open('/popup.html', { width: 375, height: 700 });
    await p.locator('.launcher .count').waitFor(WAIT);
    expect(await axeWidgets(p)).toEqual([]);
    await p.locator('.launcher').click();
    await p.locator('.conv').first().waitFor(WAIT);
    expect(await axeWidgets(p)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('5-6: a German dark popup: a conversation with an unread divider, then offline with a message waiting', async () => {
    const { page: p, problems } = await open('/popup-de.html', { width: 1000, height: 800, dark: true });
    await p.locator('.launcher').click();
    await p.locator('.conv', { hasText: 'Hike' }).click();
    await p.locator('.divider').waitFor(WAIT);
    expect(await axeWidgets(p)).toEqual([]);
    await context.setOffline(true);
    await p.locator('textarea').fill('Ich bringe das Zelt');
    await p.locator('textarea').press('Enter');
    await p.locator('.banner').waitFor(WAIT);
    await p.locator('.status', { hasText: 'Wird gesendet' }).waitFor(WAIT);
    expect(await axeWidgets(p)).toEqual([]);
    await context.setOffline(false);
    await p.locator('.status', { hasText: 'Gesendet' }).waitFor(WAIT);
    expect(problems.filter((line) => !line.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
    await context.close();
  });
});
