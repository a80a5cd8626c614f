import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createLocalStorage } from '../packages/server/src/files/local-storage';
import { makeImage } from '../packages/server/test/kit/images';
import { collectProblems, launchChromium } from './support/browser';
import { widgetPage } from './support/pages';
import { type E2eServer, startE2eServer } from './support/server';

// Issue 15: files in the script-tag widget, person to person. Ann attaches an image with the file
// input and another by pasting, drops a text file, and one over the limit; Ben sees the thumbnails in
// the space the server measured, opens one in the viewer and closes it with Escape, and gets the
// text file as a chip. The upload code itself loads as a lazy chunk (widget.file-upload.js).
const run = randomUUID().slice(0, 6);
const ann = `ann-${run}`;
const ben = `ben-${run}`;
const WAIT = { timeout: 20_000 };
const MAX_BYTES = 200_000;

let server: E2eServer;
let browser: Browser;
let files: string;
let conversationId: string;
let benToken: string;

const page = (user: string, other: string) => widgetPage(user, { height: 640, attrs: { 'data-conversation-with': other } });

async function messages(): Promise<any[]> {
  const response = await fetch(`${server.url}/api/conversations/${conversationId}/messages`, {
    headers: { authorization: `Bearer ${benToken}` },
  });
  return ((await response.json()) as { messages: any[] }).messages;
}

beforeAll(async () => {
  files = await mkdtemp(join(tmpdir(), 'banter-e2e-files-'));
  [server, browser] = await Promise.all([
    startE2eServer({
      storage: createLocalStorage({ directory: files }),
      uploads: { maxBytes: MAX_BYTES },
      pages: { [`/${ann}.html`]: page(ann, ben), [`/${ben}.html`]: page(ben, ann) },
    }),
    launchChromium(),
  ]);
  await server.token(ann);
  benToken = await server.token(ben);
  const response = await fetch(`${server.url}/api/conversations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${benToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ participantIds: [ann] }),
  });
  conversationId = ((await response.json()) as { conversation: { id: string } }).conversation.id;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(files, { recursive: true, force: true });
});

async function open(user: string): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 900, height: 760 } });
  const page = await context.newPage();
  const problems = collectProblems(page);
  await page.goto(`${server.url}/${user}.html`);
  await page.getByRole('textbox', { name: 'Message' }).waitFor(WAIT);
  return { context, page, problems };
}

describe('widget attachments', () => {
  test('Ann sends images (file input, paste) and a dropped text file; Ben sees thumbnails in reserved space, opens the viewer, Escape closes it', async () => {
    const a = await open(ann);
    const box = a.page.getByRole('textbox', { name: 'Message' });
    const chunks: string[] = [];
    a.page.on('request', (request) => {
      const name = /widget\.([\w-]+)\.js/.exec(request.url())?.[1];
      if (name) chunks.push(name);
    });

    // 1. An image through the attach button's file input, with a caption.
    const wide = Buffer.from(await makeImage('png', { width: 400, height: 200, color: '#cc3300' }));
    await a.page.getByRole('button', { name: 'Attach files' }).waitFor(WAIT);
    await a.page.locator('input[type=file]').setInputFiles({ name: 'wide.png', mimeType: 'image/png', buffer: wide });
    const chip = a.page.locator('.tray .chip');
    await chip.waitFor(WAIT);
    expect(await chip.locator('.chip-name').textContent()).toBe('wide.png');
    await box.fill('a wide one');
    await box.press('Enter');
    await expect.poll(async () => (await messages()).length, WAIT).toBe(1);

    // 2. An image pasted into the message box (no text: the message says its name).
    const tall = await makeImage('png', { width: 90, height: 180, color: '#0033cc' });
    await box.evaluate((el, bytes) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], 'tall.png', { type: 'image/png' }));
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, Array.from(tall));
    await a.page.locator('.tray .chip', { hasText: 'tall.png' }).waitFor(WAIT);
    await a.page.getByRole('button', { name: 'Send' }).click();

    // 3. A text file dropped on the composer: a chip for Ben.
    await box.evaluate((el) => {
      const data = new DataTransfer();
      data.items.add(new File(['meeting at 10'], 'notes.txt', { type: 'text/plain' }));
      el.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await a.page.locator('.tray .chip', { hasText: 'notes.txt' }).waitFor(WAIT);
    await box.fill('the notes');
    await box.press('Enter');
    await expect.poll(async () => (await messages()).length, WAIT).toBe(3);
    const sent = await messages();
    expect(sent.map((m) => m.body)).toEqual(['a wide one', 'tall.png', 'the notes']);
    expect(sent.map((m) => m.attachments?.[0]?.name)).toEqual(['wide.png', 'tall.png', 'notes.txt']);
    // The upload code came as its own chunk, with the attachments UI.
    expect(chunks).toEqual(expect.arrayContaining(['attachments', 'file-upload']));

    // 4. Over the limit: a clear error in the composer; no upload, no message.
    const uploads: string[] = [];
    a.page.on('request', (request) => request.url().includes('/uploads') && uploads.push(request.url()));
    await a.page
      .locator('input[type=file]')
      .setInputFiles({ name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(MAX_BYTES + 1) });
    const error = a.page.locator('.tray-error');
    await error.waitFor(WAIT);
    expect(await error.textContent()).toBe('huge.bin is too big: files are at most 200 kB. It was not added.');
    expect(await error.getAttribute('role')).toBe('alert');
    expect(await a.page.locator('.tray .chip').count()).toBe(0);
    await box.fill('');
    expect(await a.page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(uploads).toEqual([]);
    expect((await messages()).length).toBe(3);
    expect(a.problems).toEqual([]);

    // Ben: thumbnails first, each in a box of the server's measured aspect (reserved before it loads).
    const b = await open(ben);
    const thumbs = b.page.locator('.thumb');
    await expect.poll(() => thumbs.count(), WAIT).toBe(2);
    for (const [i, message] of sent.slice(0, 2).entries()) {
      const image = message.attachments[0].image;
      const scale = Math.min(1, 240 / image.thumbnailWidth, 240 / image.thumbnailHeight);
      const size = await thumbs.nth(i).evaluate((el) => {
        const img = el.querySelector('img')!;
        return {
          width: el.getBoundingClientRect().width,
          height: el.getBoundingClientRect().height,
          src: img.getAttribute('src'),
          alt: img.alt,
        };
      });
      expect(size.width).toBeCloseTo(Math.round(image.thumbnailWidth * scale), 0);
      expect(size.height).toBeCloseTo(Math.round(image.thumbnailHeight * scale), 0);
      // Signed afresh on each read: the same file, another signature.
      expect(size.src!.split('?')[0]).toBe(image.thumbnailUrl.split('?')[0]);
    }
    expect(sent[0].attachments[0].image).toMatchObject({ width: 400, height: 200 });

    // The viewer: keyboard reachable, the full image, Escape closes and focus goes back.
    const first = b.page.getByRole('button', { name: 'Open image wide.png' });
    await first.focus();
    await b.page.keyboard.press('Enter');
    const viewer = b.page.getByRole('dialog', { name: 'wide.png' });
    await viewer.waitFor(WAIT);
    expect((await viewer.locator('img').getAttribute('src'))!.split('?')[0]).toBe(sent[0].attachments[0].url.split('?')[0]);
    await expect
      .poll(() => viewer.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement?.getAttribute('aria-label')), WAIT)
      .toBe('Close');
    await expect.poll(() => viewer.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), WAIT).toBe(400);
    await b.page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached', ...WAIT });
    expect(await first.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
    // Escape closed the viewer only, not the widget.
    expect(await b.page.getByRole('textbox', { name: 'Message' }).isVisible()).toBe(true);

    // The text file: a chip with its name and size, linking to its signed URL.
    const file = b.page.locator('a.chip');
    await file.waitFor(WAIT);
    expect(await file.locator('.chip-name').textContent()).toBe('notes.txt');
    expect(await file.locator('.chip-size').textContent()).toBe('13 B');
    expect((await file.getAttribute('href'))!.split('?')[0]).toBe(sent[2].attachments[0].url.split('?')[0]);
    expect(b.problems).toEqual([]);
    await Promise.all([a.context.close(), b.context.close()]);
  });

  test('an upload in progress shows its progress bar and can be cancelled: nothing is sent', async () => {
    const a = await open(ann);
    const before = (await messages()).length;
    // Hold the file's PUT so the upload stays in progress.
    let held = false;
    await a.page.route(
      (url) => url.pathname.startsWith('/api/files/'),
      async (route) => {
        if (route.request().method() !== 'PUT') return route.continue();
        held = true;
        await new Promise((resolve) => setTimeout(resolve, 15_000));
        await route.abort().catch(() => {});
      },
    );
    await a.page.locator('input[type=file]').setInputFiles({ name: 'slow.txt', mimeType: 'text/plain', buffer: Buffer.from('slow') });
    const box = a.page.getByRole('textbox', { name: 'Message' });
    await box.fill('never mind');
    await box.press('Enter');
    await a.page.getByRole('progressbar', { name: 'Uploading slow.txt' }).waitFor(WAIT);
    await expect.poll(() => held, WAIT).toBe(true);
    await a.page.getByRole('button', { name: 'Cancel' }).click();
    await a.page.locator('.msg', { hasText: 'never mind' }).waitFor({ state: 'detached', ...WAIT });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await messages()).length).toBe(before);
    await a.context.close();
  });
});
