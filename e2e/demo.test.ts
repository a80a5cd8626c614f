import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collectProblems, launchChromium } from './support/browser';
import { type E2eServer, startE2eServer } from './support/server';

// The demo a new user sees first (`pnpm start`), driven as two people in two browser contexts.
// Committed screenshots (README, docs) are rewritten with UPDATE_SCREENSHOTS=1 or when missing;
// other runs save theirs in e2e/test-results/ (git-ignored), so `pnpm test` leaves the tree clean.
const committed = fileURLToPath(new URL('./screenshots/', import.meta.url));
const scratch = fileURLToPath(new URL('./test-results/', import.meta.url));
function screenshotPath(name: string): string {
  const update = process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(`${committed}${name}`);
  return `${update ? committed : scratch}${name}`;
}
const run = randomUUID().slice(0, 6);
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

/** Message texts in the open conversation, in display order, without the screen-reader prefix. */
function bubbleTexts(page: Page): Promise<string[]> {
  return page.locator('.bubble').evaluateAll((elements) =>
    elements.map((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      for (const extra of copy.querySelectorAll('.sr, .time')) extra.remove();
      return copy.textContent ?? '';
    }),
  );
}

function statusOf(page: Page, text: string) {
  return page.locator('.msg', { has: page.locator('.bubble', { hasText: text }) }).locator('.status');
}

async function send(page: Page, text: string): Promise<void> {
  const box = page.locator('textarea');
  await box.fill(text);
  await box.press('Enter');
}

describe('the demo page', () => {
  test('shows Alice and Bob side by side with seeded history, unread badges, live typing; Carol on demand (screenshots)', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    try {
      const page = await context.newPage();
      const problems = collectProblems(page);
      await page.goto(`${server.url}/`);
      const alice = page.locator('.pane[data-user="alice"]');
      const bob = page.locator('.pane[data-user="bob"]');
      await alice.locator('.bubble', { hasText: 'Scroll up for the older history too' }).waitFor(WAIT);
      await bob.locator('.bubble', { hasText: 'Scroll up for the older history too' }).waitFor(WAIT);
      // Alice has unread messages from Carol and in the group: badges in her list.
      await expect.poll(() => alice.locator('.conv.unread').count(), WAIT).toBeGreaterThanOrEqual(2);

      await alice.locator('.status', { hasText: 'Read' }).last().waitFor(WAIT);
      // Alice types: Bob sees it while she types.
      await alice.locator('textarea').fill('On my way, see you in room 2');
      await bob.locator('.typing', { hasText: 'Alice' }).waitFor(WAIT);
      await page.screenshot({ path: screenshotPath('demo.png') });

      await page.locator('#toggle-carol').click();
      const carol = page.locator('.pane[data-user="carol"]');
      await carol.locator('.conv', { hasText: 'Weekend trip' }).waitFor(WAIT);
      await page.screenshot({ path: screenshotPath('demo-three-users.png') });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('two people in two browsers', () => {
  let contextA: BrowserContext;
  let contextB: BrowserContext;
  let pageA: Page;
  let pageB: Page;
  const problems: string[] = [];
  const alice = `alice-${run}`;
  const bob = `bob-${run}`;

  beforeAll(async () => {
    contextA = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    contextB = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    pageA = await contextA.newPage();
    pageB = await contextB.newPage();
    problems.push(...[collectProblems(pageA), collectProblems(pageB)].flat());
    // A long history first, so scrolling up has older pages to load.
    const [tokenA] = await Promise.all([server.token(alice), server.token(bob)]);
    const conversation = (await server.chat.api.createConversation({ createdBy: alice, participantIds: [bob] })).conversation;
    for (let i = 1; i <= 70; i++) {
      await server.chat.api.sendMessage({
        conversationId: conversation.id,
        senderId: i % 2 ? alice : bob,
        body: `history ${i}`,
        clientId: `h${i}`,
      });
    }
    expect(tokenA).toBeTruthy();
    await pageA.goto(`${server.url}/?user=${alice}&with=${bob}`);
    // Bob looks at his list, not at the conversation: Alice's next message stays "Sent".
    await pageB.goto(`${server.url}/?user=${bob}`);
    await pageA.locator('.bubble', { hasText: 'history 70' }).waitFor(WAIT);
    await pageB.locator('.conv', { hasText: 'history 70' }).waitFor(WAIT);
  });

  afterAll(async () => {
    await contextA?.close();
    await contextB?.close();
  });

  test('A sends, B sees it without reload; Sent, then Read once B opens the conversation', async () => {
    const text = `Hello Bob, are you there? ${run}`;
    await send(pageA, text);
    await pageB.locator('.conv.unread', { hasText: text }).waitFor(WAIT);
    await expect.poll(() => statusOf(pageA, text).textContent(), WAIT).toBe('Sent');

    await pageB.locator('.conv', { hasText: text }).click();
    await pageB.locator('.bubble', { hasText: text }).waitFor(WAIT);
    await expect.poll(() => statusOf(pageA, text).textContent(), WAIT).toBe('Read');
  });

  test('the typing indicator appears and clears', async () => {
    // Keystrokes over ~4 s: typing events are throttled to one per 3 s, and one went out with the last send.
    await pageA.locator('textarea').pressSequentially('typing something', { delay: 250 });
    await pageB.locator('.typing', { hasText: 'typing' }).waitFor(WAIT);
    await pageA.locator('textarea').fill('');
    // Typing expires on its own a few seconds after the last keystroke.
    await expect.poll(async () => (await pageB.locator('.typing').textContent()) ?? '', WAIT).toBe('');
  });

  test('offline: two messages written offline arrive once each, in order, after reconnecting', async () => {
    const first = `offline one ${run}`;
    const second = `offline two ${run}`;
    await contextA.setOffline(true);
    await pageA.locator('.banner').waitFor(WAIT);
    await send(pageA, first);
    await send(pageA, second);
    await pageA.waitForTimeout(1000);
    expect(await pageB.locator('.bubble', { hasText: 'offline' }).count()).toBe(0);

    await contextA.setOffline(false);
    await pageB.locator('.bubble', { hasText: second }).waitFor(WAIT);
    await expect.poll(async () => (await bubbleTexts(pageB)).filter((t) => t.startsWith('offline')), WAIT).toEqual([first, second]);
    await expect.poll(async () => (await bubbleTexts(pageA)).filter((t) => t.startsWith('offline')), WAIT).toEqual([first, second]);
    await expect.poll(() => statusOf(pageA, second).textContent(), WAIT).toBe('Read');
  });

  test('reload keeps the history', async () => {
    await pageA.reload();
    await pageA.locator('.bubble', { hasText: `offline two ${run}` }).waitFor(WAIT);
    const texts = await bubbleTexts(pageA);
    expect(texts.filter((t) => t.includes(run))).toEqual([`Hello Bob, are you there? ${run}`, `offline one ${run}`, `offline two ${run}`]);
  });

  test('scrolling up loads older messages', async () => {
    const before = await pageA.locator('.bubble').count();
    expect(await pageA.locator('.text', { hasText: /^history 1$/ }).count()).toBe(0);
    for (let i = 0; i < 6 && (await pageA.locator('.text', { hasText: /^history 1$/ }).count()) === 0; i++) {
      await pageA.locator('.scroll').evaluate((el) => el.scrollTo({ top: 0 }));
      await pageA.waitForTimeout(400);
    }
    await pageA
      .locator('.text', { hasText: /^history 1$/ })
      .first()
      .waitFor(WAIT);
    expect(await pageA.locator('.bubble').count()).toBeGreaterThan(before);
    const history = (await bubbleTexts(pageA)).filter((t) => t.startsWith('history '));
    expect(history).toEqual(Array.from({ length: 70 }, (_, i) => `history ${i + 1}`));
    expect(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource|WebSocket/.test(p))).toEqual([]);
  });
});
