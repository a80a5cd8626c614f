import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDatabase, type Database } from '../packages/server/src/db/create-database';
import { toNodeHandler } from '../packages/server/src/entries/node';
import { createLocalStorage } from '../packages/server/src/files/local-storage';
import { DEFAULT_ALLOWED_TYPES } from '../packages/server/src/files/sniff';
import { createUploads, type Uploads } from '../packages/server/src/files/uploads';
import { toApiError } from '../packages/server/src/http/errors';
import { createConversation } from '../packages/server/src/store/conversations';
import { upsertUser } from '../packages/server/src/store/users';
import { errorResponse } from '../packages/server/src/http/respond';
import { launchChromium } from './support/browser';

/**
 * An uploaded HTML page or SVG, opened from its signed URL in Debian's Chromium, runs no script:
 * it downloads instead of rendering (attachment), and even framed it is sandboxed by its CSP. The
 * host allows both types here on purpose (Banter refuses them by default) to test the serving.
 * A control page serves the same bytes without Banter's headers and does run them, so the test
 * can fail.
 */
const PAYLOAD = (tag: string) => `fetch('/pwned?${tag}', { method: 'POST' }); parent.postMessage('${tag}', '*')`;
const HTML = `<!doctype html><html><body><script>${PAYLOAD('html')}</script><img src=x onerror="${PAYLOAD('html-img')}"></body></html>`;
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" onload="${PAYLOAD('svg')}"><script>${PAYLOAD('svg-script')}</script></svg>`;

let database: Database;
let directory: string;
let uploads: Uploads;
let server: Server;
let browser: Browser;
let origin: string;
const hits: string[] = [];
const urls: Record<string, string> = {};

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'banter-files-xss-'));
  database = createDatabase({});
  await database.migrate();
  const secret = randomBytes(32).toString('hex');
  uploads = createUploads({
    database,
    storage: createLocalStorage({ directory }),
    secret,
    basePath: '',
    limits: { allowedTypes: [...DEFAULT_ALLOWED_TYPES, 'text/html', 'image/svg+xml'] },
  });
  const handler = toNodeHandler(async (request) => {
    try {
      return (await uploads.handle(request, new URL(request.url).pathname)) ?? new Response('no route', { status: 404 });
    } catch (error) {
      return errorResponse(toApiError(error));
    }
  });
  server = createServer((req, res) => {
    if (req.url?.startsWith('/pwned')) {
      hits.push(req.url);
      return void res.end();
    }
    if (req.url === '/control.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end(HTML);
    }
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(
        '<!doctype html><title>host</title><script>window.__seen = []; addEventListener("message", (e) => __seen.push(e.data));</script>',
      );
    }
    void handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  for (const id of ['mallory', 'victim']) await upsertUser(database.kysely, { id });
  const store = { database, onEventsCommitted: () => {} };
  const { conversation } = await createConversation(store, 'mallory', { participantIds: ['victim'], title: 'files' });
  const conversationId = conversation.id;
  for (const [name, text, type] of [
    ['page.html', HTML, 'text/html'],
    ['drawing.svg', SVG, 'image/svg+xml'],
  ] as const) {
    const bytes = new TextEncoder().encode(text);
    const answer = await uploads.request('mallory', { conversationId, name, type, size: bytes.byteLength });
    const put = await fetch(origin + answer.url, { method: 'PUT', headers: answer.headers, body: bytes });
    expect(put.status).toBe(200);
    const [row] = await uploads.prepare('mallory', conversationId, [answer.upload.id]);
    const [attachment] = await uploads.attachments([row!]);
    urls[name] = origin + attachment!.url;
  }
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await database?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

test('the control: the same HTML served as a page does run (so this test can fail)', async () => {
  const page = await browser.newPage();
  await page.goto(`${origin}/control.html`);
  // Both the script and the onerror handler run; wait for both so neither lands in a later test.
  await expect.poll(() => hits.slice().sort(), { timeout: 10_000 }).toEqual(['/pwned?html', '/pwned?html-img']);
  await page.close();
  hits.length = 0;
});

test.each(['page.html', 'drawing.svg'])('%s opened from its URL downloads and runs nothing', async (name) => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const download = page.waitForEvent('download', { timeout: 10_000 });
  // Navigating to an attachment starts a download instead of a page: goto reports the abort.
  await page.goto(urls[name]!).catch(() => {});
  expect((await download).suggestedFilename()).toBe(name);
  await page.waitForTimeout(500);
  expect(hits).toEqual([]);
  await context.close();
});

test.each(['page.html', 'drawing.svg'])('%s framed, as an <img>, in an <object> or a new window runs nothing on the host', async (name) => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  const url = urls[name]!;
  await page.evaluate((src) => {
    const frame = document.createElement('iframe');
    frame.src = src;
    document.body.append(frame);
    const image = document.createElement('img');
    image.src = src;
    document.body.append(image);
    const object = document.createElement('object');
    object.data = src;
    document.body.append(object);
    window.open(src);
  }, url);
  await page.waitForTimeout(1500);
  expect(hits).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __seen: unknown[] }).__seen)).toEqual([]);
  // The response itself carries the headers that make it safe.
  const response = await fetch(url);
  expect(Object.fromEntries(response.headers)).toMatchObject({
    'content-type': 'application/octet-stream',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
  });
  expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
  await context.close();
});
