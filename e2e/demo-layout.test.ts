import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from './support/browser';
import { type E2eServer, startE2eServer } from './support/server';

// The demo page (`pnpm start`) on a phone, on a 1280 px laptop, and in dark mode (issue 21).
const WAIT = { timeout: 20_000 };
let server: E2eServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startE2eServer(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the demo page layout', () => {
  test('on a phone: a compact header and the first pane’s composer above the fold', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 700 }, isMobile: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    const alice = page.locator('.pane[data-user="alice"]');
    await alice.locator('textarea').waitFor(WAIT);
    const header = await page.locator('header.top').boundingBox();
    expect(header!.height).toBeLessThan(60);
    const composer = await alice.locator('textarea').boundingBox();
    expect(composer!.y + composer!.height).toBeLessThanOrEqual(700);
    await context.close();
  });

  test('at 1280 px each pane shows the list and the conversation side by side', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    for (const user of ['alice', 'bob']) {
      const pane = page.locator(`.pane[data-user="${user}"]`);
      await pane.locator('textarea').waitFor(WAIT);
      await pane.locator('nav.list-pane').waitFor(WAIT);
    }
    await context.close();
  });

  test('follows the system theme: dark page, dark widgets', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    const pane = page.locator('.pane[data-user="alice"]');
    await pane.locator('textarea').waitFor(WAIT);
    const dark = (css: string) => {
      const [r, g, b] = css.match(/\d+/g)!.map(Number) as [number, number, number];
      return r + g + b < 120;
    };
    expect(dark(await page.evaluate(() => getComputedStyle(document.body).backgroundColor))).toBe(true);
    expect(dark(await pane.locator('.inbox').evaluate((el) => getComputedStyle(el).backgroundColor))).toBe(true);
    await context.close();
  });
});
