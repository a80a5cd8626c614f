import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { collectProblems } from './support/browser';
import { widgetPage } from './support/pages';
import { useE2e } from './support/suite';

// Issue 21: with the reader scrolled up (the "New messages" pill showing), a new message was marked
// Read at once. A receipt now covers only what was on screen.
const run = randomUUID().slice(0, 6);
const rita = `rita-${run}`;
const sam = `sam-${run}`;
const WAIT = { timeout: 20_000 };

const e2e = useE2e({
  pages: {
    '/rita.html': widgetPage(rita, { height: 500, attrs: { 'data-conversation-with': sam } }),
  },
});

let samToken: string;
let id: string;

const api = (method: string, path: string, body?: unknown) => e2e.server.api(samToken, method, path, body);
/** Rita's read cursor, as the server has it. */
const ritaRead = async () =>
  ((await api('GET', `/conversations/${id}`)).conversation.participants as { user: { id: string }; lastReadSeq: number }[]).find(
    (p) => p.user.id === rita,
  )!.lastReadSeq;

beforeAll(async () => {
  await e2e.server.token(rita);
  samToken = await e2e.server.token(sam);
  id = (await api('POST', '/conversations', { participantIds: [rita] })).conversation.id;
  for (let i = 1; i <= 30; i++) await api('POST', `/conversations/${id}/messages`, { clientId: randomUUID(), body: `line ${i}` });
});

describe('read receipts', () => {
  test('cover only what the reader saw: opening at the unread divider, scrolled up, then at the bottom', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 800, height: 700 } });
    const page = await context.newPage();
    const problems = collectProblems(page);
    await page.goto(`${e2e.server.url}/rita.html`);
    // All 30 are unread: the view opens at the divider above "line 1", so only the first lines show.
    await page.locator('.divider').waitFor(WAIT);
    await expect.poll(ritaRead, WAIT).toBeGreaterThan(0);
    await page.waitForTimeout(1_000);
    const firstRead = await ritaRead();
    expect(firstRead).toBeLessThan(30);

    await page.locator('.scroll').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect.poll(ritaRead, WAIT).toBe(30);

    await page.locator('.scroll').evaluate((el) => el.scrollTo({ top: 0 }));
    await page.waitForTimeout(300);
    await api('POST', `/conversations/${id}/messages`, { clientId: randomUUID(), body: 'are you there?' });
    const pill = page.locator('.pill');
    await pill.waitFor(WAIT);
    // Well past the client's read debounce: still not read, the reader is elsewhere.
    await page.waitForTimeout(1_500);
    expect(await ritaRead()).toBe(30);

    await pill.click();
    await expect.poll(ritaRead, WAIT).toBe(31);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('offline, then a reload', () => {
  test('a draft and a message whose send got no answer survive the reload; the message is stored once', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 800, height: 700 } });
    const page = await context.newPage();
    await page.goto(`${e2e.server.url}/rita.html`);
    const box = page.locator('textarea');
    await box.waitFor(WAIT);
    await box.fill(`half a thought ${run}`);
    await page.waitForTimeout(300);
    await page.reload();
    await expect.poll(() => page.locator('textarea').inputValue(), WAIT).toBe(`half a thought ${run}`);

    // Sends get no answer (the rest of the API still does, so the reloaded page can start).
    await context.route('**/api/conversations/*/messages', (route) =>
      route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue(),
    );
    await page.locator('textarea').fill(`queued ${run}`);
    await page.locator('textarea').press('Enter');
    await page
      .locator('.msg', { hasText: `queued ${run}` })
      .locator('.status', { hasText: 'Sending…' })
      .waitFor(WAIT);
    await page.reload();
    await page.locator('.msg', { hasText: `queued ${run}` }).waitFor(WAIT);
    await context.unroute('**/api/conversations/*/messages');
    await page
      .locator('.msg', { hasText: `queued ${run}` })
      .locator('.status', { hasText: /Sent|Read/ })
      .waitFor({ timeout: 45_000 });
    const { messages } = await api('GET', `/conversations/${id}/messages?limit=100`);
    expect((messages as { body: string }[]).filter((m) => m.body === `queued ${run}`)).toHaveLength(1);
    await context.close();
  });
});
