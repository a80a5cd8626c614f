// A load generator process: raw `ws` clients speaking Pusher protocol 7, and HTTP senders.
// Receipt times are taken here on CLOCK_MONOTONIC and compared with send times of other processes.
import { randomUUID } from 'node:crypto';
import { connectMany, httpClient, now, numberAfter, sleep, summarize } from './common.mjs';
import { serve } from './rpc.mjs';

let sockets = [];
/** Fan-out: trigger number -> [receipts, last receipt time]. */
const fanout = new Map();
let expected = 0;
/** End-to-end: latencies (ms) from the send time carried in the message body. */
let latencies = [];
let receiveTimes = [];
let clients = [];

function onFanoutFrame(raw) {
  const text = raw.toString('latin1');
  const i = numberAfter(text, '\\"i\\":');
  if (!Number.isFinite(i)) return;
  const t = now();
  let entry = fanout.get(i);
  if (!entry) fanout.set(i, (entry = [0, 0]));
  entry[0]++;
  entry[1] = t;
  if (entry[0] === expected) {
    fanout.delete(i);
    process.send({ event: 'fanout-done', i, last: t });
  }
}

function onMessageFrame(raw) {
  const text = raw.toString('latin1');
  if (!text.includes('message.created')) return;
  const t = now();
  const t0 = numberAfter(text, '@@');
  if (!Number.isFinite(t0)) return;
  // (conversation, seq) names a message: a second copy is a duplicate delivery, counted apart so
  // that it cannot make up for a lost one in the delivered count.
  const conversationId = stringAfter(text, '\\"conversationId\\":\\"');
  const seq = numberAfter(text, '\\"seq\\":');
  if (conversationId && Number.isFinite(seq)) {
    // One message reaches each participant's channel once (a group: one event per member).
    const key = `${channelOf(text)}#${conversationId}#${seq}`;
    if (seen.has(key)) return void duplicates++;
    seen.add(key);
  }
  latencies.push(t - t0);
  receiveTimes.push(t);
  if (notifyEach) process.send({ event: 'received', t0, t });
}
let notifyEach = false;

/** The frame's channel (a top-level, unescaped field). */
function channelOf(text) {
  const at = text.indexOf('"channel":"');
  if (at < 0) return '';
  return text.slice(at + 11, text.indexOf('"', at + 11));
}

/** The JSON string value that follows `marker` in a raw frame (escaped quotes end it). */
function stringAfter(text, marker) {
  const at = text.indexOf(marker);
  if (at < 0) return '';
  const end = text.indexOf('\\"', at + marker.length);
  return text.slice(at + marker.length, end < 0 ? undefined : end);
}
let seen = new Set();
let duplicates = 0;

/** Send at `rate` per second for `durationMs`, the time of each send fixed by the schedule (open loop). */
async function openLoop(port, pairs, rate, durationMs, maxInflight) {
  const http = httpClient(port, { maxSockets: Math.max(4, Math.ceil(maxInflight / pairs.length)) });
  clients.push(http);
  const start = now();
  let sent = 0;
  let inflight = 0;
  let ok = 0;
  let failed = 0;
  let skipped = 0;
  const statuses = {};
  // Why sends failed (status and body, or the network error), the first few: a failed send stores
  // no message, so it is not a lost event, but it must be told apart from one.
  const errors = [];
  const answer = [];
  const total = Math.floor((rate * durationMs) / 1000);
  while (sent < total) {
    // Message k is due at start + k/rate: k = 0 goes at once (not one interval late).
    const due = Math.min(total, Math.floor(((now() - start) * rate) / 1000) + 1);
    while (sent < due) {
      const t0 = start + (sent * 1000) / rate;
      const pair = pairs[sent % pairs.length];
      sent++;
      if (inflight >= maxInflight) {
        // Over capacity: the generator refuses to queue without end; counted as not sent.
        skipped++;
        continue;
      }
      inflight++;
      http
        .request('POST', `/api/conversations/${pair.conversationId}/messages`, pair.token, {
          clientId: randomUUID(),
          body: `@@${t0.toFixed(3)}@@`,
        })
        .then(
          (r) => {
            answer.push(now() - t0);
            statuses[r.status] = (statuses[r.status] ?? 0) + 1;
            if (r.status === 201 || r.status === 200) ok++;
            else {
              failed++;
              if (errors.length < 5) errors.push(`${r.status} ${r.text.slice(0, 200)}`);
            }
          },
          (error) => {
            failed++;
            statuses.network = (statuses.network ?? 0) + 1;
            if (errors.length < 5) errors.push(`${error?.code ?? ''} ${error?.message ?? error}`.trim());
          },
        )
        .finally(() => inflight--);
    }
    await sleep(1);
  }
  const deadline = now() + 10_000;
  while (inflight > 0 && now() < deadline) await sleep(5);
  return { sent: sent - skipped, ok, failed, skipped, statuses, errors, elapsedMs: now() - start, answer: summarize(answer) };
}

/** Every pair sends its next message as soon as the previous one was answered (closed loop). */
async function closedLoop(port, pairs, durationMs) {
  const http = httpClient(port, { maxSockets: pairs.length });
  clients.push(http);
  const start = now();
  let ok = 0;
  let failed = 0;
  const answer = [];
  await Promise.all(
    pairs.map(async (pair) => {
      while (now() - start < durationMs) {
        const t0 = now();
        try {
          const r = await http.request('POST', `/api/conversations/${pair.conversationId}/messages`, pair.token, {
            clientId: randomUUID(),
            body: `@@${t0.toFixed(3)}@@`,
          });
          if (r.status === 201 || r.status === 200) ok++;
          else failed++;
          answer.push(now() - t0);
        } catch {
          failed++;
        }
      }
    }),
  );
  return { ok, failed, elapsedMs: now() - start, answer };
}

serve({
  async connectFanout({ port, count, channel }) {
    expected = count;
    sockets = await connectMany(port, count, () => [channel], onFanoutFrame);
    return { connected: sockets.length };
  },
  /** Idle connections, each on its own private channel (the memory section). */
  async connectIdle({ port, count, offset }) {
    sockets = await connectMany(
      port,
      count,
      (i) => [`private-user.idle-${offset + i}`],
      () => {},
    );
    return { connected: sockets.length };
  },
  /** Plain WebSocket connections that say nothing (the baseline of a bare `ws` server). */
  async connectRaw({ port, count }) {
    const { WebSocket } = await import('./common.mjs');
    sockets = [];
    for (let i = 0; i < count; i += 100) {
      const batch = Array.from(
        { length: Math.min(100, count - i) },
        () =>
          new Promise((resolve, reject) => {
            const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
            ws.once('open', () => resolve(ws));
            ws.once('error', reject);
          }),
      );
      sockets.push(...(await Promise.all(batch)));
    }
    return { connected: sockets.length };
  },
  async connectReceivers({ port, receiverIds, each = false }) {
    notifyEach = each;
    const ids = [...new Set(receiverIds)];
    sockets = await connectMany(port, ids.length, (i) => [`private-user.${ids[i]}`], onMessageFrame, 20);
    return { connected: sockets.length };
  },
  openLoop: ({ port, pairs, rate, durationMs, maxInflight = 512 }) => openLoop(port, pairs, rate, durationMs, maxInflight),
  closedLoop: ({ port, pairs, durationMs }) => closedLoop(port, pairs, durationMs),
  /** Wait until `count` messages arrived (or `timeoutMs`), then hand over the latencies and reset. */
  async collect({ count = 0, timeoutMs = 0 } = {}) {
    const deadline = now() + timeoutMs;
    while (latencies.length < count && now() < deadline) await sleep(5);
    const out = { latencies, receiveTimes, duplicates };
    latencies = [];
    receiveTimes = [];
    duplicates = 0;
    seen = new Set();
    return out;
  },
  async stop() {
    for (const s of sockets) s.terminate();
    sockets = [];
    for (const c of clients) c.close();
    clients = [];
  },
});
