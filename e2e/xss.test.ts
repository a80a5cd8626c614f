import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createChatServer, type ChatServer } from '../packages/server/src/chat-server';
import { toNodeHandler } from '../packages/server/src/entries/node';
import { relayBroadcaster } from '../packages/server/src/realtime/relay-broadcaster';
import { createRelay } from '../packages/server/src/relay/create-relay';
import type { Relay } from '../packages/server/src/relay/types';

/**
 * XSS corpus in names, titles and bodies, rendered by the real script-tag widget in Debian's
 * Chromium, without any CSP to help: everything must show as text, no script may run, no
 * attribute may be injected. The page is a tiny node:http host with createChatServer + the relay.
 */
const HIT = 'window.__xss.push';
const corpus = [
  `<script>${HIT}('script')</script>`,
  `<img src=x onerror="${HIT}('img')">`,
  `<svg onload="${HIT}('svg')"></svg>`,
  `"><img src=x onerror=${HIT}('attr-break')>`,
  `'><iframe srcdoc="<script>parent.${HIT}('iframe')</script>">`,
  `<a href="javascript:${HIT}('href')">click</a>`,
  `javascript:${HIT}('bare-js-url')`,
  `[link](javascript:${HIT}('markdown'))`,
  `<details open ontoggle="${HIT}('details')">`,
  `<style>@import 'https://evil.example/x.css';</style>`,
  `{{constructor.constructor("${HIT}('template')")()}}`,
  `\${${HIT}('tpl')}`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${HIT}('mxss')>`,
  `https://ok.example/?q="><img src=x onerror=${HIT}('linkify')>`,
  `<body onload=${HIT}('body')>`,
  `&lt;img src=x onerror=${HIT}('entity')&gt;`,
  `\u202e<b>rtl</b>`,
];

const root = fileURLToPath(new URL('..', import.meta.url));
const widgetPath = `${root}packages/widget/dist/widget.js`;
const SECRET = randomBytes(32).toString('hex');
const APP = { id: 'xss', key: randomBytes(8).toString('hex'), secret: randomBytes(16).toString('hex') };

let chat: ChatServer;
let relay: Relay;
let server: Server;
let browser: Browser;
let url: string;
let viewerToken: string;
const conversationIds: string[] = [];

beforeAll(async () => {
  if (!existsSync(widgetPath)) execFileSync('pnpm', ['--filter', '@banter/widget', 'build'], { cwd: root, stdio: 'inherit' });
  relay = createRelay({ apps: [APP] });
  chat = createChatServer({
    secret: SECRET,
    basePath: '/api',
    broadcaster: relayBroadcaster(relay),
    onError: (e) => console.error('[xss server]', e),
  });
  await chat.ready;
  const api = toNodeHandler(chat.handler);
  const widget = readFileSync(widgetPath);
  server = createServer((req, res) => {
    if (relay.handleHttp(req, res)) return;
    if (req.url?.startsWith('/api')) return void api(req, res);
    if (req.url === '/widget.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return void res.end(widget);
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><script>window.__xss = [];</script></head>
<body><div id="chat" style="height: 700px"></div>
<script src="/widget.js" data-url="/api" data-token="${viewerToken}" data-target="#chat" data-mode="inbox"></script></body></html>`);
  });
  relay.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  const viewer = 'xss-viewer';
  viewerToken = await chat.api.createUserToken(viewer, { expiresIn: '1h', name: 'Viewer' });
  await chat.api.upsertUser({ id: viewer, name: 'Viewer' });
  // Names: a direct conversation per payload that fits a name (<= 100 characters).
  const names = corpus.filter((p) => p.length <= 100);
  for (const [i, name] of names.entries()) {
    const id = `xss-${i}`;
    await chat.api.upsertUser({ id, name, avatarUrl: `javascript:${HIT}('avatar')` });
    const { conversation } = await chat.api.createConversation({ createdBy: id, participantIds: [viewer] });
    await chat.api.sendMessage({ conversationId: conversation.id, senderId: id, body: name });
    conversationIds.push(conversation.id);
  }
  // Titles and bodies: groups titled with a payload, holding every payload as a message.
  for (const [i, title] of corpus.slice(0, 4).entries()) {
    const { conversation } = await chat.api.createConversation({ createdBy: `xss-${i}`, participantIds: [viewer, `xss-${i + 1}`], title });
    for (const body of corpus) await chat.api.sendMessage({ conversationId: conversation.id, senderId: `xss-${i}`, body });
    conversationIds.push(conversation.id);
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await relay?.close();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await chat?.close();
});

test('names, titles and bodies render as text: no script runs, no attribute is injected', async () => {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(url);
  const list = page.locator('.conv');
  await expect.poll(() => list.count(), { timeout: 20_000 }).toBe(conversationIds.length);

  // Open every conversation so its messages render too, auditing each one while it is shown.
  const texts: string[] = [];
  const found: string[] = [];
  for (let i = 0; i < conversationIds.length; i++) {
    await list.nth(i).click();
    await page.locator('.bubble').first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(100);
    texts.push(
      ...(await page.locator('.bubble').evaluateAll((elements) =>
        elements.map((el) => {
          const copy = el.cloneNode(true) as HTMLElement;
          for (const extra of copy.querySelectorAll('.sr, .time')) extra.remove();
          return copy.textContent ?? '';
        }),
      )),
    );
    found.push(...(await audit()));
  }
  // Every payload shown, verbatim, as text.
  for (const payload of corpus)
    expect(
      texts.some((t) => t.includes(payload.trim())),
      payload,
    ).toBe(true);
  const titles = await page.locator('.conv-name').allTextContents();
  for (const title of corpus.slice(0, 4)) expect(titles).toContain(title);

  expect(await page.evaluate(() => (window as unknown as { __xss: string[] }).__xss)).toEqual([]);
  expect(dialogs).toEqual([]);
  expect([...new Set(found)]).toEqual([]);
  expect(requests.filter((r) => r.includes('evil.example'))).toEqual([]);
  await page.close();

  /** Elements and attributes no payload may create, in the page and every shadow root. */
  function audit(): Promise<string[]> {
    return page.evaluate(() => {
      const found: string[] = [];
      const visit = (root: Document | ShadowRoot) => {
        for (const el of root.querySelectorAll('*')) {
          const tag = el.tagName.toLowerCase();
          if (['script', 'iframe', 'object', 'embed', 'svg', 'math', 'details', 'body', 'style'].includes(tag) && root !== document)
            found.push(`element <${tag}>`);
          for (const attr of el.getAttributeNames()) {
            const value = el.getAttribute(attr) ?? '';
            if (attr.startsWith('on')) found.push(`<${tag} ${attr}>`);
            // A label may say "javascript:" (it is the user's name); a URL attribute may not.
            if (
              ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'].includes(attr) &&
              /^\s*(javascript|data|vbscript):/i.test(value)
            )
              found.push(`<${tag} ${attr}="${value}">`);
          }
          if (el.shadowRoot) visit(el.shadowRoot);
        }
      };
      visit(document);
      return found;
    });
  }
}, 90_000);
