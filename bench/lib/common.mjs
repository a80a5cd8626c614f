// Shared helpers of the bench: dependencies, clock, statistics, Pusher auth, HTTP.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';

// The bench uses the very ws, pusher and pg the server package depends on: nothing extra to install.
const serverRequire = createRequire(new URL('../../packages/server/package.json', import.meta.url));
export const WebSocket = serverRequire('ws');
export const WebSocketServer = WebSocket.Server;
export const PusherSdk = serverRequire('pusher');
export const pg = serverRequire('pg');

/** Built package entries: the bench measures what users install, not the sources. */
export const dist = (pkg, entry) => new URL(`../../packages/${pkg}/dist/${entry}`, import.meta.url).href;

export const APP = { id: 'bench', key: 'bench-key', secret: 'bench-secret-bench-secret' };
export const SECRET = 'bench-chat-secret-at-least-32-characters-long';
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Milliseconds on CLOCK_MONOTONIC: one clock for every process of the machine, so a send time
 * taken in one process and a receive time taken in another can be subtracted.
 */
export const now = () => Number(process.hrtime.bigint()) / 1e6;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** p-quantile of sorted values (nearest rank). */
export function quantile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[i];
}

/** p50/p95/p99/max/mean of latencies in ms, and the sorted samples (for the chart). */
export function summarize(values) {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n,
    p50: round(quantile(sorted, 0.5)),
    p95: round(quantile(sorted, 0.95)),
    p99: round(quantile(sorted, 0.99)),
    max: round(n ? sorted[n - 1] : NaN),
    mean: round(n ? sum / n : NaN),
  };
}

export function round(x, digits = 3) {
  if (!Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Downsample sorted latencies to at most `k` quantile points for the JSON and the SVG. */
export function quantilePoints(values, k = 200) {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return [];
  const out = [];
  for (let j = 0; j < k; j++) {
    const p = j / (k - 1);
    out.push([round(p, 4), round(quantile(sorted, Math.max(p, 1 / sorted.length)))]);
  }
  return out;
}

/** The `auth` of a pusher:subscribe, as the server's /realtime/auth would sign it. */
export function channelAuth(socketId, channel, channelData) {
  const signed = channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
  return `${APP.key}:${createHmac('sha256', APP.secret).update(signed).digest('hex')}`;
}

/**
 * Open a raw `ws` connection speaking Pusher protocol 7 and subscribe to `channels`.
 * Resolves with the socket once every subscription succeeded.
 */
export function pusherConnect(port, channels, onEvent) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/app/${APP.key}?protocol=7&client=bench&version=1`, {
      perMessageDeflate: false,
    });
    let pending = channels.length;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('pusher connect timed out'));
    }, 20_000);
    ws.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    ws.on('message', (raw) => {
      // Hot path: events are handed over raw; only the protocol's own frames are parsed.
      if (pending === 0) return onEvent(raw, ws);
      const msg = JSON.parse(raw.toString());
      if (msg.event === 'pusher:connection_established') {
        ws.socketId = JSON.parse(msg.data).socket_id;
        for (const channel of channels) {
          const data = channel.startsWith('private-') ? { channel, auth: channelAuth(ws.socketId, channel) } : { channel };
          ws.send(JSON.stringify({ event: 'pusher:subscribe', data }));
        }
        if (pending === 0) {
          clearTimeout(timer);
          resolve(ws);
        }
      } else if (msg.event === 'pusher_internal:subscription_succeeded') {
        if (--pending === 0) {
          clearTimeout(timer);
          resolve(ws);
        }
      } else if (msg.event === 'pusher:subscription_error' || msg.event === 'pusher:error') {
        clearTimeout(timer);
        reject(new Error(`subscribe failed: ${msg.data}`));
      } else onEvent(raw, ws);
    });
  });
}

/** Open `count` connections, `parallel` at a time; `channelsOf(i)` names each one's channels. */
export async function connectMany(port, count, channelsOf, onEvent, parallel = 100) {
  const sockets = new Array(count);
  let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      sockets[i] = await pusherConnect(port, channelsOf(i), onEvent);
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return sockets;
}

/** Read an integer or float that follows `marker` in a raw frame, without parsing the JSON. */
export function numberAfter(text, marker) {
  const at = text.indexOf(marker);
  if (at < 0) return NaN;
  let end = at + marker.length;
  while (end < text.length && '0123456789.-e'.includes(text[end])) end++;
  return Number(text.slice(at + marker.length, end));
}

/** A minimal keep-alive HTTP JSON client (node:http: less overhead per request than fetch). */
export function httpClient(port, { maxSockets = 8 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  function request(method, path, token, body) {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }
  return { request, close: () => agent.destroy() };
}
