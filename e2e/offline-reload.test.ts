import { randomUUID } from 'node:crypto';
import { beforeAll, expect, test } from 'vitest';
import { widgetPage } from './support/pages';
import { useE2e } from './support/suite';

// Issue 21: a message sent offline, then the tab closed or reloaded before reconnecting, never
// reached the server and nothing warned. The client keeps its queue in localStorage (the default
// storage in browsers) and resends it, once, when the page comes back.
const run = randomUUID().slice(0, 6);
const zoe = `zoe-${run}`;
const yan = `yan-${run}`;
const WAIT = { timeout: 20_000 };

const e2e = useE2e({
  pages: {
    '/zoe.html': widgetPage(zoe, { height: 500, attrs: { 'data-conversation-with': yan } }),
  },
});

let yanToken: string;

async function messages(conversationId: string): Promise<{ body: string }[]> {
  const response = await fetch(`${e2e.server.url}/api/conversations/${conversationId}/messages?limit=100`, {
    headers: { authorization: `Bearer ${yanToken}` },
  });
  return (await response.json()).messages;
}

beforeAll(async () => {
  await e2e.server.token(zoe);
  yanToken = await e2e.server.token(yan);
});

test('a message sent offline survives the tab closing and is sent exactly once when the page is back', async () => {
  const context = await e2e.browser.newContext();
  const first = await context.newPage();
  await first.goto(`${e2e.server.url}/zoe.html`);
  const box = first.locator('textarea');
  await box.waitFor(WAIT);
  const conversationId = await (async () => {
    const response = await fetch(`${e2e.server.url}/api/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${yanToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ participantIds: [zoe] }),
    });
    return (await response.json()).conversation.id as string;
  })();

  // Offline emulation alone let a send out once in a loaded full run; refusing the route as well
  // makes the missing network certain, as the test's premise needs.
  const sends = /\/api\/conversations\/[^/]+\/messages$/;
  await context.route(sends, (route) => (route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue()));
  await context.setOffline(true);
  await box.fill('written on the train');
  await box.press('Enter');
  await first.locator('.bubble', { hasText: 'written on the train' }).waitFor(WAIT);
  await expect
    .poll(
      () =>
        first.evaluate(() => Object.keys(localStorage).filter((k) => k.endsWith(':outbox') && localStorage[k].includes('train')).length),
      WAIT,
    )
    .toBe(1);
  await first.close(); // the tab is gone before the network came back
  // Bodies and times, so that a send which got out anyway (seen once in a loaded run) says what it was.
  expect((await messages(conversationId)).map((m) => `${m.body} @${(m as { createdAt?: string }).createdAt}`)).toEqual([]);

  await context.unroute(sends);
  await context.setOffline(false);
  const second = await context.newPage();
  await second.goto(`${e2e.server.url}/zoe.html`);
  await expect.poll(async () => (await messages(conversationId)).map((m) => m.body), WAIT).toEqual(['written on the train']);
  await expect.poll(() => second.locator('.bubble', { hasText: 'written on the train' }).count(), WAIT).toBe(1);
  await expect.poll(() => second.evaluate(() => Object.keys(localStorage).filter((k) => k.endsWith(':outbox')).length), WAIT).toBe(0);

  // A third load sends nothing again.
  await second.reload();
  await second.locator('.bubble', { hasText: 'written on the train' }).waitFor(WAIT);
  await new Promise((r) => setTimeout(r, 500));
  expect((await messages(conversationId)).map((m) => m.body)).toEqual(['written on the train']);
  await context.close();
}, 60_000);
