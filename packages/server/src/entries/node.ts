import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * `@banter/server/node` (also `@banter/server/express`): run the chat handler on node:http,
 * Express 5 or any Connect-style framework.
 */

/** The web-standard handler of `createChatServer` (or any fetch-style handler). */
export type FetchHandler = (request: Request) => Promise<Response>;

/** A request as Express and friends hand it over: maybe mounted, maybe with a parsed body. */
export type NodeRequest = IncomingMessage & { originalUrl?: string; body?: unknown };
export type NodeHandler = (req: NodeRequest, res: ServerResponse, next?: (error?: unknown) => void) => Promise<void>;

/**
 * Turn a fetch-style handler into a node:http / Express / Connect handler. The Request carries the
 * full original URL (Express `originalUrl`), so set `basePath` to where you mount it.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createChatServer } from '@banter/server';
 * import { toNodeHandler } from '@banter/server/node';
 *
 * const chat = createChatServer({ secret: process.env.BANTER_SECRET!, basePath: '/api/chat' });
 * const app = express();
 * app.use('/api/chat', toNodeHandler(chat.handler));
 * app.listen(3000);
 * ```
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * createServer(toNodeHandler(chat.handler)).listen(3000);
 * ```
 */
export function toNodeHandler(handler: FetchHandler): NodeHandler {
  return async (req, res, next) => {
    try {
      const request = toRequest(req, res);
      const response = await handler(request);
      // A body still arriving (e.g. answered 413 early) is not worth reading: close after answering.
      if (!req.complete) res.setHeader('connection', 'close');
      await writeResponse(response, res, request.signal);
    } catch (error) {
      if (next) return next(error);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ error: { code: 'internal', message: 'internal server error' } }));
      } else res.destroy();
    }
  };
}

/**
 * node:http IncomingMessage -> web Request (for adapters of other Node frameworks): full original
 * URL, every header, the body streamed with back-pressure (or an already-parsed body re-serialized),
 * and a signal that aborts when the client goes away.
 *
 * @example
 * ```ts
 * const response = await chat.handler(toRequest(req, res));
 * await writeResponse(response, res);
 * ```
 */
export function toRequest(req: NodeRequest, res: ServerResponse): Request {
  const controller = new AbortController();
  // The client went away before we answered: let the handler stop early.
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });

  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true || req.headers[':scheme'] === 'https';
  const host = req.headers.host ?? (req.headers[':authority'] as string | undefined) ?? 'localhost';
  const url = new URL(req.originalUrl ?? req.url ?? '/', `${encrypted ? 'https' : 'http'}://${host}`);

  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(':') || value === undefined) continue; // HTTP/2 pseudo-headers
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }

  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal: controller.signal };
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = requestBody(req, headers);
    // Node's Request insists on duplex: 'half' for a streamed body.
    init.duplex = 'half';
  }
  const request = new Request(url, init);
  // The TCP peer for per-IP rate limits: a symbol (Symbol.for, shared with http/rate-limit.ts),
  // because a header could be forged by the caller.
  const address = req.socket?.remoteAddress;
  if (address) Object.defineProperty(request, CLIENT_ADDRESS, { value: address });
  return request;
}

const CLIENT_ADDRESS = Symbol.for('banter.clientAddress');

function requestBody(req: NodeRequest, headers: Headers): BodyInit | null {
  // A body parser (express.json(), express.urlencoded()...) already consumed the stream.
  if (req.readableEnded) {
    const body = req.body;
    if (body === undefined || body === null) return null;
    if (typeof body === 'string' || body instanceof Uint8Array) return body as BodyInit;
    headers.delete('content-length'); // the re-serialized body has its own length
    if ((headers.get('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
      return new URLSearchParams(body as Record<string, string>).toString();
    }
    return JSON.stringify(body);
  }
  return streamBody(req);
}

/** The request stream as a web stream that pauses the socket when the reader falls behind. */
function streamBody(req: IncomingMessage): ReadableStream<Uint8Array> {
  let finished = false;
  const cleanup = () => {
    finished = true;
    req.off('data', onData).off('end', onEnd).off('error', onError);
  };
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const onData = (chunk: Buffer) => {
    if (finished) return;
    controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if ((controller.desiredSize ?? 0) <= 0) req.pause();
  };
  const onEnd = () => {
    if (finished) return;
    cleanup();
    controller.close();
  };
  const onError = (error: Error) => {
    if (finished) return;
    cleanup();
    controller.error(error);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        req.on('data', onData).on('end', onEnd).on('error', onError);
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        cleanup();
      },
    },
    { highWaterMark: 4 },
  );
}

/**
 * Web Response -> node:http response: status, headers (every Set-Cookie), and the body written
 * with back-pressure (waits for 'drain' when the socket is full; stops if the client left).
 *
 * @example
 * ```ts
 * await writeResponse(new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } }), res);
 * ```
 */
export async function writeResponse(response: Response, res: ServerResponse, signal?: AbortSignal): Promise<void> {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  for (const [name, value] of response.headers) {
    if (name === 'set-cookie') continue;
    res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      if (signal?.aborted || res.destroyed) {
        await reader.cancel();
        return;
      }
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await drained(res);
    }
    res.end();
  } finally {
    reader.releaseLock();
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}
