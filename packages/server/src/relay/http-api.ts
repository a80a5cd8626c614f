import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode } from '@banter/core/protocol';
import type { Hub } from './hub';
import type { AppState } from './relay-socket';
import { CHANNEL_NAME, exceedsBytes, SOCKET_ID } from './limits';
import { hmacHex, md5Hex, safeEqual } from './signatures';

/** Pusher allows 600 s of clock skew between the SDK and the server. */
const TIMESTAMP_WINDOW_S = 600;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

interface EventInput {
  name: string;
  data: string;
  channels: string[];
  socketId: string | null;
}

/** The relay's HTTP API (`/apps/<appId>/...`), as the `pusher` SDK calls it. */
export function createHttpApi(hub: Hub) {
  const { limits } = hub;

  function handleHttp(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '';
    if (!url.startsWith('/apps/')) return false;
    hub.counters.httpRequests++;
    serve(req, res, url).catch((error: unknown) => {
      if (error instanceof HttpError) return reply(res, error.status, { error: { code: error.code, message: error.message } });
      reply(res, 500, { error: { code: 'internal', message: 'Internal relay error' } });
    });
    return true;
  }

  async function serve(req: IncomingMessage, res: ServerResponse, url: string): Promise<void> {
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const segments = path.split('/'); // ['', 'apps', id, ...rest]
    const app = hub.byId.get(decode(segments[2] ?? ''));
    if (!app) throw new HttpError(404, 'not_found', `Unknown app ${segments[2] ?? ''}`);
    const params = authenticate(req, app, path, q < 0 ? '' : url.slice(q + 1));
    if (!app.settings.enabled) throw new HttpError(403, 'forbidden', `App ${app.app.id} is disabled`);
    const body = await readBody(req);
    checkBodyMd5(body, params.get('body_md5'));
    const rest = segments.slice(3);
    const method = req.method ?? 'GET';
    const route = rest[0];

    if (route === 'events' && rest.length === 1) {
      allow(method, 'POST');
      const input = parseEvent(parseJson(body), true);
      hub.publish(app, input.channels, input.name, input.data, input.socketId);
      return reply(res, 200, {});
    }
    if (route === 'batch_events' && rest.length === 1) {
      allow(method, 'POST');
      const batch = (parseJson(body) as { batch?: unknown }).batch;
      if (!Array.isArray(batch) || batch.length === 0) throw badRequest('batch must be a non-empty array');
      if (batch.length > limits.maxBatchEvents) {
        throw badRequest(`Batch too large: at most ${limits.maxBatchEvents} events`);
      }
      // Validate the whole batch before delivering any of it.
      const inputs = batch.map((item: unknown) => parseEvent(item, false));
      for (const input of inputs) hub.publish(app, input.channels, input.name, input.data, input.socketId);
      return reply(res, 200, {});
    }
    if (route === 'channels' && rest.length === 1) {
      allow(method, 'GET');
      const prefix = params.get('filter_by_prefix') ?? '';
      const info = infoFields(params);
      const channels: Record<string, Record<string, number>> = {};
      for (const [name, channel] of app.channels) {
        if (!name.startsWith(prefix)) continue;
        const entry: Record<string, number> = {};
        if (info.has('user_count') && channel.members) entry.user_count = channel.members.size;
        if (info.has('subscription_count')) entry.subscription_count = channel.sockets.size;
        channels[name] = entry;
      }
      return reply(res, 200, { channels });
    }
    if (route === 'channels' && (rest.length === 2 || (rest.length === 3 && rest[2] === 'users'))) {
      allow(method, 'GET');
      const name = decode(rest[1] ?? '');
      if (!CHANNEL_NAME.test(name)) throw badRequest(`Invalid channel name ${name.slice(0, 200)}`);
      const channel = app.channels.get(name);
      if (rest.length === 3) {
        if (!name.startsWith('presence-')) throw badRequest('Users are only listed for presence channels');
        const users = channel?.members ? [...channel.members.keys()].map((id) => ({ id })) : [];
        return reply(res, 200, { users });
      }
      const info = infoFields(params);
      if (info.has('user_count') && !name.startsWith('presence-')) {
        throw badRequest('user_count is only available for presence channels');
      }
      const result: Record<string, unknown> = { occupied: channel !== undefined };
      if (info.has('user_count')) result.user_count = channel?.members?.size ?? 0;
      if (info.has('subscription_count')) result.subscription_count = channel?.sockets.size ?? 0;
      return reply(res, 200, result);
    }
    throw new HttpError(404, 'not_found', `No route ${method} ${path}`);
  }

  /** Checks key, timestamp and signature; returns the (decoded) query parameters. */
  function authenticate(req: IncomingMessage, app: AppState, path: string, query: string): Map<string, string> {
    const params = new Map<string, string>();
    for (const pair of query.split('&')) {
      if (!pair) continue;
      const eq = pair.indexOf('=');
      const key = decode(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
      if (!params.has(key)) params.set(key, decode(eq < 0 ? '' : pair.slice(eq + 1).replace(/\+/g, ' ')));
    }
    if (params.get('auth_key') !== app.app.key) throw unauthorized('Unknown or missing auth_key');
    const timestamp = Number(params.get('auth_timestamp'));
    if (!Number.isFinite(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > TIMESTAMP_WINDOW_S) {
      throw unauthorized(`auth_timestamp is missing or more than ${TIMESTAMP_WINDOW_S} s off the relay's clock`);
    }
    if (params.get('auth_version') !== '1.0') throw unauthorized('auth_version must be 1.0');
    const signature = params.get('auth_signature') ?? '';
    const signed = [...params]
      .filter(([key]) => key !== 'auth_signature')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => `${key}=${value}`)
      .join('&');
    const expected = hmacHex(app.app.secret, `${req.method ?? 'GET'}\n${path}\n${signed}`);
    if (!safeEqual(signature, expected)) throw unauthorized('Invalid auth_signature');
    return params;
  }

  function checkBodyMd5(body: Buffer, given: string | undefined): void {
    if (body.length === 0 && given === undefined) return;
    if (given === undefined) throw unauthorized('A request with a body needs body_md5');
    if (!safeEqual(given, md5Hex(body))) throw unauthorized('body_md5 does not match the body');
  }

  /** Reads the body, refusing with 413 as soon as it passes the limit (not after buffering it all). */
  function readBody(req: IncomingMessage): Promise<Buffer> {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limits.maxHttpBodyBytes) return Promise.reject(tooLarge(req));
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxHttpBodyBytes) {
          reject(tooLarge(req));
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }

  function tooLarge(req: IncomingMessage): HttpError {
    // Let the rest of the body flow to nowhere; `connection: close` on the 413 ends the socket.
    req.removeAllListeners('data');
    req.resume();
    return new HttpError(413, 'payload_too_large', `Request body is over ${limits.maxHttpBodyBytes} bytes`);
  }

  function parseEvent(value: unknown, many: boolean): EventInput {
    if (typeof value !== 'object' || value === null) throw badRequest('An event is a JSON object');
    const { name, data, channels, channel, socket_id: socketId } = value as Record<string, unknown>;
    if (typeof name !== 'string' || name.length === 0 || name.length > limits.maxEventNameLength) {
      throw badRequest(`name must be a string of 1-${limits.maxEventNameLength} characters`);
    }
    if (typeof data !== 'string') throw badRequest('data must be a string (JSON-encode it)');
    if (exceedsBytes(data, limits.maxEventDataBytes)) {
      throw new HttpError(413, 'payload_too_large', `Event data is over ${limits.maxEventDataBytes} bytes`);
    }
    const list = many && channels !== undefined ? channels : [channel];
    if (!Array.isArray(list) || list.length === 0 || list.length > limits.maxChannelsPerEvent) {
      throw badRequest(`channels must list 1-${limits.maxChannelsPerEvent} channels`);
    }
    for (const c of list) {
      if (typeof c !== 'string' || !CHANNEL_NAME.test(c)) throw badRequest(`Invalid channel name ${String(c).slice(0, 200)}`);
    }
    if (socketId !== undefined && socketId !== null && (typeof socketId !== 'string' || !SOCKET_ID.test(socketId))) {
      throw badRequest('socket_id must look like 1234.5678');
    }
    return { name, data, channels: list as string[], socketId: (socketId as string | undefined) ?? null };
  }

  return { handleHttp };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  };
  if (status === 413) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(text);
}

function allow(method: string, expected: string): void {
  if (method !== expected) throw new HttpError(405, 'method_not_allowed', `Use ${expected}`);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest('The body is not valid JSON');
  }
}

function infoFields(params: Map<string, string>): Set<string> {
  return new Set((params.get('info') ?? '').split(',').filter(Boolean));
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw badRequest('Malformed percent-encoding in the URL');
  }
}

function badRequest(message: string): HttpError {
  return new HttpError(400, 'validation_failed', message);
}

function unauthorized(message: string): HttpError {
  return new HttpError(401, 'unauthorized', message);
}
