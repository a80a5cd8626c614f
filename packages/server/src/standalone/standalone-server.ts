import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { type ChatServer, createChatServer } from '../chat-server';
import type { FileStorage } from '../files/storage';
import type { UploadLimits } from '../files/uploads';
import type { Database, DatabaseOptions } from '../db/create-database';
import { toNodeHandler } from '../entries/node';
import type { CorsOptions } from '../http/cors';
import { type ServerTimeouts, serverOptions } from '../http/node-timeouts';
import type { Broadcaster, PusherConfig } from '../realtime/broadcaster';
import { pusherBroadcaster } from '../realtime/pusher-broadcaster';
import { relayBroadcaster } from '../realtime/relay-broadcaster';
import { createRelay } from '../relay/create-relay';
import type { Relay, RelayApp } from '../relay/types';
import { withTimeout } from '../util/with-timeout';
import { devToken } from './dev-token';
import { collectDefaultMetrics } from 'prom-client';
import { type BanterLogger, createLogger } from '../observability/logger';
import { requestsAtDebug } from './dev-logger';
import { registerRelayMetrics } from '../observability/metrics';
import { seedDemo } from './seed';
import { demoDir, findWidgetScript, sendError, sendFile, sendPage, STRICT_CSP, type StaticPage } from './static-files';

export type StandaloneRealtime = { kind: 'embedded'; app: RelayApp } | { kind: 'pusher'; config: PusherConfig };

export interface StandaloneServerOptions {
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1 (this machine only); 0.0.0.0 to accept connections from the network. */
  host?: string;
  database: Database | DatabaseOptions;
  secret: string;
  /** The embedded relay on the same port (default), or a Pusher-protocol service. */
  realtime: StandaloneRealtime;
  /** `/api/dev/token`, the demo page at `/` and its seed data, CORS for every origin. */
  dev?: boolean;
  cors?: CorsOptions;
  /** Seed the demo users and conversations (default: with `dev`). */
  seed?: boolean;
  /** Extra pages served as is, by exact path (e.g. a test page next to the API). */
  pages?: Record<string, StaticPage>;
  onError?: (error: unknown, context: { requestId?: string; method?: string; path?: string }) => void;
  /** A pino-compatible logger (default: JSON lines on stdout at BANTER_LOG_LEVEL). */
  logger?: BanterLogger;
  /** Where uploaded files live (default: from BANTER_STORAGE / S3_*, else `.banter/files`). */
  storage?: FileStorage;
  /** Upload limits (default: 25 MB a file, the safe types; see docs/attachments.md). */
  uploads?: UploadLimits;
  /** Socket timeouts against slow clients (default: 10 s headers, 60 s request, 5 s keep-alive). */
  timeouts?: Partial<ServerTimeouts>;
}

export interface StandaloneServer {
  /** `http://localhost:3000` style: where a browser on this machine finds it. */
  url: string;
  port: number;
  host: string;
  chat: ChatServer;
  /** The embedded relay, or null when events go to Pusher, Soketi or Reverb. */
  relay: Relay | null;
  broadcaster: Broadcaster;
  /** Where `/widget.js` comes from; null when the widget package is not built. */
  widgetScript: string | null;
  /** Messages the demo seed wrote on this start (0 when the data was already there). */
  seeded: number;
  /** Stop accepting, finish requests in flight, deliver the outbox, close sockets and the database. */
  close(): Promise<void>;
}

/** Longest wait for requests in flight at shutdown before closing anyway. */
const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Banter on one port: the chat API under `/api`, the embedded relay (WebSocket `/app/<key>`,
 * HTTP API `/apps/<id>/...`), the widget at `/widget.js`, `/metrics`, and with `dev` the demo page.
 * This is what `banter serve` runs.
 *
 * @example
 * const server = await startStandaloneServer({
 *   port: 3000,
 *   database: { dataDir: '.banter/db' },
 *   secret: process.env.BANTER_SECRET!,
 *   realtime: { kind: 'embedded', app: { id: 'banter', key: 'local-key', secret: 'local-secret' } },
 *   dev: true,
 * });
 * console.log(server.url); // http://localhost:3000
 * await server.close();
 */
export async function startStandaloneServer(options: StandaloneServerOptions): Promise<StandaloneServer> {
  const dev = options.dev === true;
  const host = options.host ?? '127.0.0.1';
  // Banter's clients use only private- and presence- channels: a public one would be an
  // unauthenticated way to hold the relay's memory (issue 22).
  const relay = options.realtime.kind === 'embedded' ? createRelay({ apps: [{ publicChannels: false, ...options.realtime.app }] }) : null;
  const broadcaster = relay ? relayBroadcaster(relay) : pusherBroadcaster((options.realtime as { config: PusherConfig }).config);
  const chat = createChatServer({
    database: options.database,
    secret: options.secret,
    basePath: '/api',
    broadcaster,
    ...(options.cors ? { cors: options.cors } : dev ? { cors: { origins: '*' } } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    // --dev: request lines at debug, so the start-up block stays on screen (issue 21).
    ...(options.logger
      ? { logger: dev ? requestsAtDebug(options.logger) : options.logger }
      : dev
        ? { logger: requestsAtDebug(createLogger()) }
        : {}),
    ...(options.storage ? { storage: options.storage } : {}),
    ...(options.uploads ? { uploads: options.uploads } : {}),
  });
  // /metrics: the chat server's registry, plus the relay and the process (memory, CPU, event loop lag).
  if (relay) registerRelayMetrics(chat.registry, relay);
  collectDefaultMetrics({ register: chat.registry, prefix: 'banter_' });

  let seeded = 0;
  try {
    // Migrations ran; the chat server's outbox dispatcher is running from here on.
    await chat.ready;
    if (options.seed ?? dev) seeded = (await seedDemo(chat)).messages;
  } catch (error) {
    await relay?.close();
    await chat.close();
    throw error;
  }

  const api = toNodeHandler(chat.handler);
  const widgetScript = findWidgetScript();
  const demo = demoDir();
  const pages = options.pages ?? {};
  let inFlight = 0;
  let closing: Promise<void> | null = null;
  let drained: (() => void) | null = null;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (relay?.handleHttp(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const page = pages[path];
    if (page) return sendPage(req, res, page);
    if (path === '/api' || path.startsWith('/api/')) {
      if (dev && path === '/api/dev/token' && method === 'GET') {
        const { status, body } = await devToken(chat, url);
        const text = JSON.stringify(body);
        // The widget's data-token-url fetches with credentials: 'include', which browsers refuse
        // to read under '*': answer the page's own origin instead (dev only).
        const origin = req.headers.origin;
        res.writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'no-store',
          ...(origin
            ? { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', vary: 'origin' }
            : { 'access-control-allow-origin': '*' }),
        });
        res.end(text);
        return;
      }
      return api(req, res);
    }
    if (method !== 'GET' && method !== 'HEAD') return sendError(res, 405, 'method_not_allowed', `${method} ${path} is not allowed`);
    // widget.js and its lazy chunks next to it (widget.<name>.js), with their source maps; the Web
    // Push service worker, at the root so that its scope is the whole site.
    if (/^\/(widget(\.[a-z][a-z0-9-]*)?|banter-sw)\.js(\.map)?$/.test(path)) {
      if (widgetScript && (await sendFile(req, res, join(dirname(widgetScript), path.slice(1))))) return;
      return sendError(res, 404, 'not_found', 'the widget is not built; run `pnpm build` (or install @banter/widget)');
    }
    if (path === '/metrics') {
      const body = await chat.registry.metrics();
      res.writeHead(200, { 'content-type': chat.registry.contentType, 'cache-control': 'no-store' });
      res.end(body);
      return;
    }
    if (path === '/favicon.ico' && (await sendFile(req, res, join(demo, 'favicon.svg'), { 'content-type': 'image/svg+xml' }))) return;
    if (dev) {
      const file = path === '/' || path === '/index.html' ? 'index.html' : DEMO_FILES.has(path.slice(1)) ? path.slice(1) : null;
      if (
        file &&
        (await sendFile(req, res, join(demo, file), { 'content-security-policy': STRICT_CSP, 'referrer-policy': 'no-referrer' }))
      ) {
        return;
      }
    } else if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Banter is running.\nAPI: /api (health: /api/health)\nWidget: /widget.js\nThe demo page is served with --dev.\n');
      return;
    }
    sendError(res, 404, 'not_found', `no route ${path}`);
  }

  const server: Server = createServer(serverOptions(options.timeouts), (req, res) => {
    if (closing) {
      // Shutting down: refuse new work; clients retry against the next instance or after restart.
      res.setHeader('connection', 'close');
      return sendError(res, 503, 'unavailable', 'the server is shutting down; try again shortly');
    }
    inFlight++;
    res.once('close', () => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
    route(req, res).catch((error) => {
      options.onError?.(error, { method: req.method, path: req.url });
      if (!res.headersSent) sendError(res, 500, 'internal', 'internal server error');
      else res.destroy();
    });
  });
  relay?.attach(server);

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 3000, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await relay?.close();
    await chat.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' || host === '127.0.0.1' || host === '::1' ? 'localhost' : host;

  return {
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    port,
    host,
    chat,
    relay,
    broadcaster,
    widgetScript,
    seeded,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (inFlight > 0) {
          const done = new Promise<void>((resolve) => {
            drained = resolve;
          });
          await withTimeout(done, DRAIN_TIMEOUT_MS, 'draining requests', { settle: true });
        }
        // Every committed message reaches the relay (or Pusher) before the sockets close.
        await chat.dispatcher?.flush();
        await relay?.close();
        server.closeAllConnections();
        await stopped;
        await broadcaster.close?.();
        await chat.close();
      })();
      return closing;
    },
  };
}

const DEMO_FILES = new Set(['demo.js', 'demo.css', 'favicon.svg']);
