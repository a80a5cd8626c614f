import { randomUUID } from 'node:crypto';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { axeWidgets } from './support/axe';
import { collectProblems } from './support/browser';
import { widgetPage } from './support/pages';
import { useE2e } from './support/suite';

// Issue 14's message actions between two people, each in their own page (script tag, Chromium):
// Ava sends, Bo reacts (both see the chip, counts right, toggled off), Ava edits (Bo sees the text
// and "edited"), Ava deletes (Bo sees "message deleted"); the menu by keyboard only, axe with it
// open, and no Edit or Delete for Bo on Ava's message. The tests run in order on one conversation;
// add a step (a reply, a thread) as one more test that sends its own message.
const run = randomUUID().slice(0, 6);
const ava = `ava-${run}`;
const bo = `bo-${run}`;
const WAIT = { timeout: 20_000 };

interface Person {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

let a: Person;
let b: Person;

const page = (user: string) => widgetPage(user, { height: 640, attrs: { 'data-mode': 'inbox' } });

/** One person's page with the conversation open. axe needs the CSP bypassed (it is injected as a script). */
async function openAs(user: string): Promise<Person> {
  const context = await e2e.browser.newContext({ viewport: { width: 1000, height: 720 }, bypassCSP: true, reducedMotion: 'reduce' });
  const p = await context.newPage();
  const problems = collectProblems(p);
  await p.goto(`${e2e.server.url}/${user}.html`);
  await p.locator('.conv').first().click(WAIT);
  return { context, page: p, problems };
}

/** The message with `text` in someone's list. */
const message = (who: Person, text: string | RegExp): Locator => who.page.locator('.msg', { hasText: text });

/** What has focus, inside the widget's shadow root. */
const focused = (who: Person) =>
  who.page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return { role: el?.getAttribute('role') ?? null, text: el?.textContent ?? '', cls: el?.getAttribute('class') ?? '' };
  });

/** In an open menu, ArrowDown until `label` has focus (keyboard only; the items depend on the message). */
async function arrowTo(who: Person, label: string) {
  for (let i = 0; i < 8 && (await focused(who)).text !== label; i++) await who.page.keyboard.press('ArrowDown');
  expect((await focused(who)).text).toBe(label);
}

/** What the menus hold: Reply and Reply in thread (the conversation view's) for everyone, Edit and Delete for one's own. */
const OTHERS = ['React', 'Reply', 'Reply in thread'];
const OWN = [...OTHERS, 'Edit', 'Delete'];

/** Sends `text` from the composer, as typed. */
async function send(who: Person, text: string) {
  const box = who.page.getByRole('textbox', { name: 'Message', exact: true });
  await box.fill(text);
  await box.press('Enter');
  // Confirmed (it has an id, so actions): the Sent receipt shows.
  await message(who, text)
    .locator('.status', { hasText: /Sent|Read/ })
    .waitFor(WAIT);
}

/** Opens a message's menu with the mouse: hover shows the small button, a click opens the menu. */
async function menuByHover(who: Person, text: string): Promise<Locator> {
  const m = message(who, text);
  await m.hover();
  await m.getByRole('button', { name: 'Message actions' }).click();
  const menu = m.getByRole('menu', { name: 'Message actions' });
  await menu.waitFor(WAIT);
  return menu;
}

/** The text of each reaction chip of a message ("👍 2"). */
const chips = (who: Person, text: string) => message(who, text).locator('.react').allTextContents();

const e2e = useE2e({ pages: { [`/${ava}.html`]: page(ava), [`/${bo}.html`]: page(bo) } });

beforeAll(async () => {
  const avaToken = await e2e.server.token(ava);
  await e2e.server.token(bo);
  await e2e.server.api(avaToken, 'POST', '/conversations', { participantIds: [bo] });
  [a, b] = await Promise.all([openAs(ava), openAs(bo)]);
}, 180_000);

afterAll(async () => {
  await a?.context.close();
  await b?.context.close();
});

describe('widget message actions, two people', () => {
  const text = 'Lunch at noon?';

  test('Ava sends; Bo reacts from the menu; both see the chip; Ava adds hers (2), Bo takes his back (1)', async () => {
    await send(a, text);
    await message(b, text).waitFor(WAIT);

    const menu = await menuByHover(b, text);
    // Not Bo's message: no Edit, no Delete.
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual(OTHERS);
    await menu.getByRole('menuitem', { name: 'React' }).click();
    await b.page.getByRole('dialog', { name: 'Add reaction' }).getByRole('button', { name: 'thumbs up' }).click();
    await expect.poll(() => chips(b, text), WAIT).toEqual(['👍 1']);
    await expect.poll(() => chips(a, text), WAIT).toEqual(['👍 1']);
    const bosChip = message(b, text).locator('.react');
    expect(await bosChip.getAttribute('aria-pressed')).toBe('true');
    expect(await message(a, text).locator('.react').getAttribute('aria-pressed')).toBe('false');
    // The summary names who reacted (the first ten), the reader as You.
    expect(await bosChip.getAttribute('title')).toBe('Reacted with 👍: You');

    await message(a, text).locator('.react').click();
    await expect.poll(() => chips(a, text), WAIT).toEqual(['👍 2']);
    await expect.poll(() => chips(b, text), WAIT).toEqual(['👍 2']);
    expect(await bosChip.getAttribute('title')).toMatch(/^Reacted with 👍: You, \S/);

    await bosChip.click();
    await expect.poll(() => chips(b, text), WAIT).toEqual(['👍 1']);
    await expect.poll(() => chips(a, text), WAIT).toEqual(['👍 1']);
    expect(await bosChip.getAttribute('aria-pressed')).toBe('false');
  });

  test('keyboard only: from the composer back to the newest message, Enter opens the menu, arrows move, Escape returns; axe finds nothing', async () => {
    await b.page.getByRole('textbox', { name: 'Message', exact: true }).focus();
    // Shift+Tab: the list itself, then (the actions chunk loaded by then) the newest message.
    for (let i = 0; i < 4 && (await focused(b)).role !== 'listitem'; i++) await b.page.keyboard.press('Shift+Tab');
    expect((await focused(b)).text).toContain(text);
    await b.page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(b)).text, WAIT).toBe('React');
    await b.page.keyboard.press('ArrowDown');
    expect((await focused(b)).text).toBe('Reply');
    expect(await message(b, text).getByRole('menuitem').allTextContents()).toEqual(OTHERS);
    expect(await axeWidgets(b.page)).toEqual([]);
    await b.page.keyboard.press('Escape');
    expect((await focused(b)).role).toBe('listitem');
    await expect.poll(() => message(b, text).getByRole('menu').count()).toBe(0);
    // Shift+F10 opens it too; Ava's own message has Edit and Delete.
    await b.page.keyboard.press('Shift+F10');
    await message(b, text).getByRole('menu').waitFor(WAIT);
    await b.page.keyboard.press('Escape');

    await a.page.getByRole('textbox', { name: 'Message', exact: true }).focus();
    for (let i = 0; i < 4 && (await focused(a)).role !== 'listitem'; i++) await a.page.keyboard.press('Shift+Tab');
    expect((await focused(a)).text).toContain(text);
    await a.page.keyboard.press('Enter');
    await expect.poll(async () => (await focused(a)).text, WAIT).toBe('React');
    expect(await message(a, text).getByRole('menuitem').allTextContents()).toEqual(OWN);
    expect(await axeWidgets(a.page)).toEqual([]);
    await a.page.keyboard.press('Escape');
  });

  test('Ava edits inline (Escape cancels, Enter saves); Bo sees the new text and "edited"', async () => {
    const edited = 'Lunch at one?';
    await message(a, text).focus();
    await a.page.keyboard.press('Enter');
    await arrowTo(a, 'Edit');
    await a.page.keyboard.press('Enter');
    const box = a.page.getByRole('textbox', { name: 'Edit message' });
    await box.waitFor(WAIT);
    await a.page.keyboard.press('Escape');
    await expect.poll(() => box.count()).toBe(0);
    expect((await focused(a)).role).toBe('listitem');

    await a.page.keyboard.press('Enter');
    await arrowTo(a, 'Edit');
    await a.page.keyboard.press('Enter');
    await box.fill(edited);
    await box.press('Enter');
    await expect.poll(() => message(a, edited).locator('.edited').textContent(), WAIT).toBe('edited');
    await expect.poll(() => message(b, edited).locator('.edited').textContent(), WAIT).toBe('edited');
    expect(await message(b, text).count()).toBe(0);
    // The reaction stays through the edit.
    expect(await chips(b, edited)).toEqual(['👍 1']);
  });

  test('Ava deletes after an inline confirm; both see "message deleted", without actions', async () => {
    const edited = 'Lunch at one?';
    const menu = await menuByHover(a, edited);
    await menu.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = a.page.getByRole('group', { name: 'Delete this message for everyone?' });
    await confirm.getByRole('button', { name: 'Delete' }).click();
    for (const who of [a, b]) {
      await expect.poll(() => who.page.locator('.bubble.gone .text').allTextContents(), WAIT).toEqual(['message deleted']);
      expect(await message(who, edited).count()).toBe(0);
      const gone = who.page.locator('.msg', { has: who.page.locator('.bubble.gone') });
      expect(await gone.locator('.react, .more, .edited').count()).toBe(0);
    }
    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
  });
});

describe('widget message actions, offline', () => {
  test('an edit made with the network gone stays shown, waits, and is stored once the page is back online', async () => {
    // A conversation of its own, newest in Ava's list, whose message nothing has edited or reacted to:
    // the code that applies changes has not loaded with anything else.
    const avaToken = await e2e.server.token(ava);
    const cy = `cy-${run}`;
    await e2e.server.token(cy);
    const { conversation } = await e2e.server.api(avaToken, 'POST', '/conversations', { participantIds: [cy] });
    const before = 'Tea at four?';
    const after = 'Tea at five?';
    await e2e.server.api(avaToken, 'POST', `/conversations/${conversation.id}/messages`, { clientId: randomUUID(), body: before });
    const stored = async () =>
      (await e2e.server.api(avaToken, 'GET', `/conversations/${conversation.id}/messages`)).messages.map((m: { body: string }) => m.body);
    const ava2 = await openAs(ava);
    try {
      await message(ava2, before).hover();
      await message(ava2, before).getByRole('button', { name: 'Message actions' }).waitFor(WAIT);

      await ava2.context.setOffline(true);
      const menu = await menuByHover(ava2, before);
      await menu.getByRole('menuitem', { name: 'Edit' }).click();
      const box = ava2.page.getByRole('textbox', { name: 'Edit message' });
      await box.fill(after);
      await box.press('Enter');
      await expect.poll(() => message(ava2, after).locator('.edited').textContent(), WAIT).toBe('edited');
      expect(await stored()).toEqual([before]);
      expect(await ava2.page.getByRole('alert').count()).toBe(0);

      await ava2.context.setOffline(false);
      await expect.poll(stored, WAIT).toEqual([after]);
      expect(await message(ava2, after).count()).toBe(1);
    } finally {
      await ava2.context.close();
    }
  });
});
