import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectProblems, launchChromium } from './support/browser';
import { type RunningApp, runApp } from './support/run-app';

// examples/react as its README says: `pnpm start` (vite build, then the Node server with the API,
// the relay and the build), driven by two Chromium pages: a custom UI on @banter/react's hooks.
describe('examples/react (Vite build + @banter/react hooks) in Chromium', () => {
  let app: RunningApp;
  let browser: Browser;
  const run = Math.random().toString(36).slice(2, 8);
  const alice = `alice-${run}`;
  const bob = `bob-${run}`;

  beforeAll(async () => {
    [app, browser] = await Promise.all([runApp('react', 'start', { timeoutMs: 180_000 }), launchChromium()]);
  }, 200_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  async function open(user: string, peer: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems = collectProblems(page);
    await page.goto(`${app.url}/?as=${user}&with=${peer}`);
    await page.getByTestId('connection').filter({ hasText: 'connected' }).waitFor({ timeout: 30_000 });
    return { page, problems };
  }

  it('two users chat: messages both ways, typing, presence and Sent -> read', async () => {
    const a = await open(alice, bob);
    const b = await open(bob, alice);
    // Both on the conversation: each one's presence shows the other.
    await a.page.getByTestId('online').filter({ hasText: bob }).waitFor({ timeout: 20_000 });
    await b.page.getByTestId('online').filter({ hasText: alice }).waitFor({ timeout: 20_000 });

    await a.page.getByLabel('Message', { exact: true }).fill('hello from the React example');
    await b.page
      .getByTestId('typing')
      .filter({ hasText: `${alice} typing` })
      .waitFor({ timeout: 20_000 });
    await a.page.getByRole('button', { name: 'Send' }).click();
    await b.page.locator('.message', { hasText: 'hello from the React example' }).waitFor({ timeout: 20_000 });
    // Bob's thread is on screen, so the message is marked read: Alice sees it turn `read`.
    await a.page.locator('.message.mine[data-status="read"]', { hasText: 'hello from the React example' }).waitFor({ timeout: 20_000 });

    await b.page.getByLabel('Message', { exact: true }).fill('hi alice');
    await b.page.getByLabel('Message', { exact: true }).press('Enter');
    await a.page.locator('.message:not(.mine)', { hasText: 'hi alice' }).waitFor({ timeout: 20_000 });
    // Alice's inbox previews the latest message of the conversation.
    await a.page.getByRole('list', { name: 'Conversations' }).getByText('hi alice').waitFor({ timeout: 20_000 });

    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
  }, 120_000);
});
