import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeWidgets } from './support/axe';
import { collectProblems, launchChromium } from './support/browser';
import { widgetPage } from './support/pages';
import { type E2eServer, startE2eServer } from './support/server';

// Issue 14's replies, threads and mentions between two people, each in a script-tag widget in
// Chromium: the replies chunk (widget.replies.js) and core's thread chunk (widget.core-threads.js).
const run = randomUUID().slice(0, 6);
const rita = `rita-${run}`;
const sam = `sam-${run}`;
const WAIT = { timeout: 20_000 };

let server: E2eServer;
let browser: Browser;
const tokens: Record<string, string> = {};

const page = (user: string) => widgetPage(user, { height: 640 });

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startE2eServer({ pages: { '/rita.html': page(rita), '/sam.html': page(sam) } }),
    launchChromium(),
  ]);
  tokens[rita] = await server.token(rita);
  tokens[sam] = await server.token(sam);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(user: string): Promise<{ p: Page; problems: string[]; close(): Promise<void> }> {
  // bypassCSP: axe is injected into the page.
  const context = await browser.newContext({ viewport: { width: 900, height: 700 }, bypassCSP: true });
  const p = await context.newPage();
  const problems = collectProblems(p);
  await p.goto(`${server.url}/${user.split('-')[0]}.html`);
  await p.locator('.conv').first().click(WAIT);
  return { p, problems, close: () => context.close() };
}

/** The message with this text in the list (not the thread panel). */
const inList = (p: Page, text: string) => p.locator('.view .msg').filter({ hasText: text });

describe('widget replies, threads and mentions', () => {
  test('quote and jump, a deleted original, thread replies with and without the conversation, a keyboard mention', async () => {
    const api = (user: string, method: string, path: string, body?: unknown) => server.api(tokens[user]!, method, path, body);
    const id = (await api(sam, 'POST', '/conversations', { participantIds: [rita] })).conversation.id;
    const send = (user: string, body: string) => api(user, 'POST', `/conversations/${id}/messages`, { clientId: randomUUID(), body });
    const original = (await send(rita, 'hello from rita')).message;
    for (let i = 1; i <= 12; i++) await send(sam, `filler ${i}`);
    const ritaName = (await api(rita, 'GET', '/me')).user.name as string;
    const R = await open(rita);
    const S = await open(sam);

    // Sam replies to Rita's message from its actions menu (keyboard: focus, Enter, Reply). Messages
    // are focusable once the actions chunk is there; it loads when the list has the pointer or focus.
    await S.p.locator('.view .scroll').focus(WAIT);
    await expect.poll(() => inList(S.p, 'hello from rita').getAttribute('tabindex'), WAIT).not.toBeNull();
    await inList(S.p, 'hello from rita').focus(WAIT);
    await S.p.keyboard.press('Enter');
    await S.p.getByRole('menuitem', { name: 'Reply', exact: true }).click(WAIT);
    await expect.poll(() => S.p.locator('.quoting').textContent(), WAIT).toContain('hello from rita');
    await S.p.keyboard.type('quoting you');
    await S.p.keyboard.press('Enter');
    await expect.poll(() => S.p.locator('.quoting').count(), WAIT).toBe(0);

    // Rita sees the quote; a click brings her message back on screen, highlighted.
    const quote = inList(R.p, 'quoting you').locator('.quote');
    await expect.poll(() => quote.textContent(), WAIT).toContain('hello from rita');
    await R.p.locator('.view .scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await quote.click();
    const target = R.p.locator(`.view .msg[data-seq="${original.seq}"]`);
    await expect.poll(() => target.getAttribute('class'), WAIT).toContain('flash');
    expect(
      await target.evaluate((el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().bottom <= window.innerHeight),
    ).toBe(true);

    // Rita deletes the original: the quote reads "message deleted" for both.
    await api(rita, 'DELETE', `/conversations/${id}/messages/${original.id}`);
    for (const { p } of [R, S])
      await expect.poll(() => inList(p, 'quoting you').locator('.quote').textContent(), WAIT).toContain('message deleted');

    // A thread: Sam replies in it twice, the second also to the conversation.
    const root = (await send(rita, 'thread root')).message;
    await expect.poll(() => inList(S.p, 'thread root').count(), WAIT).toBe(1);
    await inList(S.p, 'thread root').focus();
    await S.p.keyboard.press('Enter');
    await S.p.getByRole('menuitem', { name: 'Reply in thread' }).click(WAIT);
    const panel = S.p.getByRole('dialog', { name: 'Thread' });
    await expect.poll(() => panel.locator('.reply.root').textContent(), WAIT).toContain('thread root');
    // The panel's composer has the focus once it shows.
    const threadBox = panel.getByRole('textbox');
    await expect.poll(() => threadBox.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el), WAIT).toBe(true);
    await S.p.keyboard.type('only in the thread');
    await S.p.keyboard.press('Enter');
    await panel.getByRole('checkbox', { name: 'Also send to conversation' }).check();
    await panel.getByRole('textbox').fill('in the thread and the conversation');
    await panel.getByRole('textbox').press('Enter');
    await expect
      .poll(() => panel.locator('li .bubble').allTextContents(), WAIT)
      .toEqual(['only in the thread', 'in the thread and the conversation']);
    await S.p.keyboard.press('Escape');
    await expect.poll(() => panel.count(), WAIT).toBe(0);
    await expect
      .poll(() => S.p.evaluate(() => document.querySelector('[data-banter-widget]')?.shadowRoot?.activeElement?.textContent ?? ''), WAIT)
      .toContain('thread root');

    // Rita: the root says 2 replies; only the second reply shows in the conversation.
    await expect.poll(() => inList(R.p, 'in the thread and the conversation').count(), WAIT).toBe(1);
    expect(await inList(R.p, 'only in the thread').count()).toBe(0);
    const link = inList(R.p, 'thread root').getByRole('button', { name: '2 replies' });
    await link.click(WAIT);
    const ritaPanel = R.p.getByRole('dialog', { name: 'Thread' });
    await expect
      .poll(() => ritaPanel.locator('li .bubble').allTextContents(), WAIT)
      .toEqual(['only in the thread', 'in the thread and the conversation']);
    expect(await axeWidgets(R.p)).toEqual([]);
    const stored = (await api(rita, 'GET', `/conversations/${id}/messages/${root.id}/thread`)).messages;
    expect(stored.map((m: { threadId: string; showInChannel: boolean }) => [m.threadId, m.showInChannel])).toEqual([
      [root.id, false],
      [root.id, true],
    ]);
    await R.p.keyboard.press('Escape');
    await expect.poll(() => ritaPanel.count(), WAIT).toBe(0);

    // Sam mentions Rita by keyboard only: @, letters, ArrowDown/Enter in the listbox.
    const box = S.p.getByRole('textbox', { name: 'Message' });
    await box.focus();
    await S.p.keyboard.type(`look @${ritaName.slice(0, 2)}`);
    const option = S.p.getByRole('option', { name: ritaName });
    await expect.poll(() => option.getAttribute('aria-selected'), WAIT).toBe('true');
    expect(await box.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    await S.p.keyboard.press('Enter');
    await expect.poll(() => box.inputValue(), WAIT).toBe(`look @${ritaName} `);
    await S.p.keyboard.type('here');
    await S.p.keyboard.press('Enter');
    const mention = inList(R.p, `@${ritaName} here`);
    await expect.poll(() => mention.locator('.bubble').getAttribute('class'), WAIT).toContain('at');
    const last = (await api(rita, 'GET', `/conversations/${id}/messages?limit=1`)).messages[0];
    expect(last).toMatchObject({ body: `look @${ritaName} here`, mentions: [rita] });

    expect(R.problems).toEqual([]);
    expect(S.problems).toEqual([]);
    await R.close();
    await S.close();
  }, 120_000);

  test('a quote of a message two pages back loads the history back to it and brings it on screen', async () => {
    const api = (user: string, method: string, path: string, body?: unknown) => server.api(tokens[user]!, method, path, body);
    const id = (await api(sam, 'POST', '/conversations', { participantIds: [rita], title: `far back ${run}` })).conversation.id;
    const send = (user: string, body: Record<string, unknown>) =>
      api(user, 'POST', `/conversations/${id}/messages`, { clientId: randomUUID(), ...body });
    const original = (await send(rita, { body: 'the old one' })).message;
    const gone = (await send(rita, { body: 'the old deleted one' })).message;
    // More than two pages (30 each) after the originals, so the widget's first page holds neither.
    for (let i = 1; i <= 70; i++) await send(sam, { body: `filler ${i}` });
    await api(rita, 'DELETE', `/conversations/${id}/messages/${gone.id}`);
    await send(sam, { body: 'quoting the deleted one', replyTo: gone.id });
    await send(sam, { body: 'quoting the old one', replyTo: original.id });
    const R = await open(rita);
    await expect.poll(() => inList(R.p, 'quoting the old one').count(), WAIT).toBe(1);
    expect(await R.p.locator(`.view .msg[data-seq="${original.seq}"]`).count()).toBe(0);

    await inList(R.p, 'quoting the old one').locator('.quote').click();
    const target = R.p.locator(`.view .msg[data-seq="${original.seq}"]`);
    await expect.poll(() => target.getAttribute('class'), WAIT).toContain('flash');
    expect(await target.textContent()).toContain('the old one');
    // Focused too (messages are focusable once the actions chunk is there: the pointer reached the list).
    await expect
      .poll(
        () => R.p.evaluate(() => document.querySelector('[data-banter-widget]')?.shadowRoot?.activeElement?.getAttribute('data-seq')),
        WAIT,
      )
      .toBe(String(original.seq));
    expect(
      await target.evaluate((el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().bottom <= window.innerHeight),
    ).toBe(true);
    await expect.poll(() => R.p.locator('.quote-status').count(), WAIT).toBe(0);

    // The deleted original is found too, and reads as deleted, in the quote and in the list.
    const deletedQuote = inList(R.p, 'quoting the deleted one').locator('.quote');
    expect(await deletedQuote.textContent()).toContain('message deleted');
    await deletedQuote.click();
    const deleted = R.p.locator(`.view .msg[data-seq="${gone.seq}"]`);
    await expect.poll(() => deleted.getAttribute('class'), WAIT).toContain('flash');
    expect(await deleted.textContent()).toContain('message deleted');
    expect(R.problems).toEqual([]);
    await R.close();
  }, 120_000);
});
