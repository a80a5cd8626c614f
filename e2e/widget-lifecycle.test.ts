import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { collectProblems } from './support/browser';
import { widgetPage } from './support/pages';
import { useE2e } from './support/suite';

// Issue 14, the script tag's half so far: an edit and a deletion by the other side reach the
// widget through @banter/core's lazily loaded message lifecycle, which the script tag ships as
// widget.core-lifecycle.js (loaded once, with the message actions or the first such event, its
// reducer taken from widget.js).
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
}, 180_000);

describe('widget message lifecycle', () => {
  test('the other side edits, then deletes: the open conversation shows each, through the lifecycle chunk', async () => {
    const id = (await api('POST', '/conversations', { participantIds: [rita] })).conversation.id;
    const { message } = await api('POST', `/conversations/${id}/messages`, { clientId: randomUUID(), body: 'first draft' });
    const context = await e2e.browser.newContext({ viewport: { width: 900, height: 700 } });
    const page = await context.newPage();
    const problems = collectProblems(page);
    const chunks: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('widget.core-lifecycle.js')) chunks.push(request.url());
    });
    await page.goto(`${e2e.server.url}/rita.html`);
    await page.locator('.conv').first().click(WAIT);
    const text = page.locator('.msg[data-seq="1"] .text');
    await expect.poll(() => text.textContent(), WAIT).toBe('first draft');

    await api('PATCH', `/conversations/${id}/messages/${message.id}`, { body: 'final text' });
    await expect.poll(() => text.textContent(), WAIT).toBe('final text');
    expect(chunks).toHaveLength(1);
    // The message actions chunk (loaded for an edited message) labels it.
    await expect.poll(() => page.locator('.msg[data-seq="1"] .edited').textContent(), WAIT).toBe('edited');

    await api('DELETE', `/conversations/${id}/messages/${message.id}`);
    await expect.poll(() => text.textContent(), WAIT).toBe('message deleted');
    expect(await page.locator('.msg[data-seq="1"] .bubble.gone').count()).toBe(1);
    expect(chunks).toHaveLength(1);
    expect(problems).toEqual([]);
    await context.close();
  });
});
