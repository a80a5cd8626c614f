import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { collectProblems } from './support/browser';
import { widgetPage } from './support/pages';
import { useE2e } from './support/suite';

// Issue 16: the search box of the conversation list finds an old message and opens its
// conversation scrolled to it, with the messages around it loaded; snippets render as text.
const run = randomUUID().slice(0, 6);
const rita = `rita-${run}`;
const sam = `sam-${run}`;
const WAIT = { timeout: 20_000 };

const e2e = useE2e({
  pages: {
    '/rita.html': widgetPage(rita),
  },
});

let samToken: string;

const api = (method: string, path: string, body?: unknown) => e2e.server.api(samToken, method, path, body);

beforeAll(async () => {
  await e2e.server.token(rita);
  samToken = await e2e.server.token(sam);
  const id = (await api('POST', '/conversations', { participantIds: [rita] })).conversation.id;
  // The hit is message 5 of 60: well above the first page the view loads (30).
  for (let i = 1; i <= 60; i++) {
    const body = i === 5 ? 'the <b>flamingo</b> budget is approved' : `line ${i}`;
    await api('POST', `/conversations/${id}/messages`, { clientId: randomUUID(), body });
  }
}, 180_000);

describe('widget search', () => {
  test('typing finds an old message; choosing it opens the conversation at that message, in context', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 900, height: 700 } });
    const page = await context.newPage();
    const problems = collectProblems(page);
    await page.goto(`${e2e.server.url}/rita.html`);
    const box = page.getByRole('searchbox', { name: 'Search messages' });
    await box.waitFor(WAIT);
    await box.fill('flamin');
    const hit = page.locator('.hit').first();
    await hit.waitFor(WAIT);
    // Markup in a body is text: no <b> element, the match is a <mark>.
    expect(await hit.locator('.hit-text').textContent()).toBe('the <b>flamingo</b> budget is approved');
    expect(await hit.locator('mark').allTextContents()).toEqual(['flamingo']);
    expect(await hit.locator('b').count()).toBe(0);

    await hit.click();
    const target = page.locator('.msg[data-seq="5"]');
    await target.waitFor(WAIT);
    await expect.poll(() => target.evaluate((el) => el.classList.contains('search-hit')), WAIT).toBe(true);
    // On screen, with its neighbours loaded around it.
    await expect
      .poll(
        () =>
          target.evaluate((el) => {
            const box = el.getBoundingClientRect();
            const scroller = el.closest('.scroll')!.getBoundingClientRect();
            return box.top >= scroller.top && box.bottom <= scroller.bottom;
          }),
        WAIT,
      )
      .toBe(true);
    for (const seq of [1, 4, 6, 60]) expect(await page.locator(`.msg[data-seq="${seq}"]`).count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });
});
