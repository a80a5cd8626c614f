import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collectProblems, launchChromium } from './support/browser';
import { widgetPage } from './support/pages';
import { type E2eServer, startE2eServer } from './support/server';

// The widget as people use it: a phone, the keyboard alone, a right-to-left language, a server
// that stops and comes back.
const run = randomUUID().slice(0, 6);
const pia = `pia-${run}`;
const quinn = `quinn-${run}`;
const WAIT = { timeout: 20_000 };
const PHONE = { width: 375, height: 700 };

const shop = { title: 'Shop', viewport: true } as const;
const pages = {
  '/phone.html': widgetPage(pia, { ...shop, box: false, host: '<main><h1>Shop</h1><p>Welcome.</p></main>' }),
  '/inline.html': widgetPage(pia, { ...shop, attrs: { 'data-conversation-with': quinn } }),
};

let dataDir: string;
let server: E2eServer;
let browser: Browser;
let conversationId: string;
const secret = randomBytes(32).toString('hex');
const app = { id: 'banter', key: randomBytes(8).toString('hex'), secret: randomBytes(16).toString('hex') };
const start = (port = 0) =>
  startE2eServer({ port, pages, secret, database: { dataDir: join(dataDir, 'db') }, realtime: { kind: 'embedded', app } });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'banter-phone-'));
  [server, browser] = await Promise.all([start(), launchChromium()]);
  await server.token(pia);
  const token = await server.token(quinn);
  const post = (path: string, body: unknown) =>
    fetch(`${server.url}/api${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json() as Promise<any>);
  conversationId = (await post('/conversations', { participantIds: [pia] })).conversation.id;
  await post(`/conversations/${conversationId}/messages`, { clientId: randomUUID(), body: 'Your order shipped.' });
  await post(`/conversations/${conversationId}/messages`, { clientId: randomUUID(), body: 'Ok?' });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The focused element inside the widget's shadow root, described. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('[data-banter-widget]')?.shadowRoot?.activeElement as HTMLElement | null;
    return el
      ? `${el.tagName.toLowerCase()}${el.className ? `.${el.className.split(' ')[0]}` : ''}${el.dataset.conv ? `#${el.dataset.conv}` : ''}`
      : 'outside';
  });

describe('the widget on a phone, with the keyboard only', () => {
  test('full-screen popup without the launcher over Send; focus moves deliberately; Escape closes', async () => {
    // Reduced motion: the popup's box is measured at rest, not mid-animation.
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true, reducedMotion: 'reduce' });
    const page = await context.newPage();
    const problems = collectProblems(page);
    await page.goto(`${server.url}/phone.html`);
    await page.locator('.launcher .count').waitFor(WAIT);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button.launcher');
    await page.keyboard.press('Enter');
    const popup = page.locator('.popup');
    await popup.waitFor(WAIT);
    expect(await popup.boundingBox()).toEqual({ x: 0, y: 0, ...PHONE });
    expect(await page.locator('.launcher').isVisible()).toBe(false);
    // Tab: "New message", the close button, the search box, then the conversation row; Enter opens it with focus in the composer.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button.more');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('input.search');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe(`button.conv#${conversationId}`);
    await page.keyboard.press('Enter');
    await page.locator('.bubble', { hasText: 'Your order shipped.' }).waitFor(WAIT);
    await expect.poll(() => focused(page)).toBe('textarea');
    // The composer is above the fold, Send is tappable and no launcher covers it.
    const send = await page.locator('.sendbtn').boundingBox();
    expect(send!.y + send!.height).toBeLessThanOrEqual(PHONE.height);
    expect(
      await page.locator('.sendbtn').evaluate((b) => {
        const r = b.getBoundingClientRect();
        return (b.getRootNode() as ShadowRoot).elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) === b;
      }),
    ).toBe(true);
    await page.keyboard.type(`Thanks! ${run}`);
    await page.keyboard.press('Enter');
    await page
      .locator('.msg', { hasText: `Thanks! ${run}` })
      .locator('.status', { hasText: 'Sent' })
      .waitFor(WAIT);
    expect(await popup.isVisible()).toBe(true);
    // Back (Shift+Tab from the composer runs through the messages; the Back button is the header's first).
    await page.locator('button[aria-label="Back to conversations"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toBe(`button.conv#${conversationId}`);
    // Visible focus ring on the row, inside its box (not clipped by the scrolling list).
    const ring = await page
      .locator('.conv')
      .first()
      .evaluate((el) => `${getComputedStyle(el).outlineStyle} ${getComputedStyle(el).outlineOffset}`);
    expect(ring).toBe('solid -2px');
    await page.keyboard.press('Escape');
    await expect.poll(() => popup.count()).toBe(0);
    expect(await focused(page)).toBe('button.launcher');
    expect(problems).toEqual([]);
    await context.close();
  });

  test('right-to-left bodies, previews and the composer find their own direction', async () => {
    const context = await browser.newContext({ viewport: PHONE });
    const page = await context.newPage();
    await page.goto(`${server.url}/inline.html`);
    const box = page.locator('textarea');
    await box.fill('שלום, מה שלומך?');
    expect(await box.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    await box.press('Enter');
    const text = page.locator('.text', { hasText: 'שלום' });
    await text.waitFor(WAIT);
    expect(await text.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await page.locator('.text', { hasText: 'Your order shipped.' }).evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
    // Bubbles are as wide as their text: in Quinn's group "Ok?" is narrower than the line above it.
    const widths = await page.locator('.group:not(.mine) .bubble').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().width));
    expect(widths).toHaveLength(2);
    expect(widths[1]!).toBeLessThan(widths[0]! / 2);
    await context.close();
  });
});

describe('a server that stops', () => {
  test('the banner shows within seconds, the message waits, and goes out when the server is back', async () => {
    const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/inline.html`);
    await page.locator('.bubble', { hasText: 'Your order shipped.' }).waitFor(WAIT);
    await page.locator('.bubble', { hasText: 'שלום' }).waitFor(WAIT);
    const port = server.port;
    await server.close();
    const stoppedAt = Date.now();
    await page.locator('.banner').waitFor({ timeout: 5_000 });
    const bannerAfter = Date.now() - stoppedAt;
    await page.locator('textarea').fill(`while down ${run}`);
    await page.locator('textarea').press('Enter');
    await page.locator('.status', { hasText: 'Sending…' }).waitFor(WAIT);
    server = await start(port);
    await page
      .locator('.msg', { hasText: `while down ${run}` })
      .locator('.status', { hasText: /Sent|Read/ })
      .waitFor({ timeout: 45_000 });
    await expect.poll(() => page.locator('.banner').count(), { timeout: 30_000 }).toBe(0);
    expect(bannerAfter).toBeLessThan(5_000);
    await context.close();
  });
});
