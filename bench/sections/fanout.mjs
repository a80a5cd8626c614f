// 4. Fan-out through the relay alone, as Soketi was measured: clients in 2 processes, triggers
// through the `pusher` SDK (the relay's HTTP API), 200-byte payloads.
import { APP, PusherSdk, now, sleep, summarize } from '../lib/common.mjs';

const PAD = 'x'.repeat(180); // {"i":123,"p":"xxx..."} ~ 200 bytes

export async function fanout(ctx) {
  const server = ctx.spawnServer();
  const { port } = await server.call('start', { mode: 'relay' });
  const pusher = new PusherSdk({ appId: APP.id, key: APP.key, secret: APP.secret, host: '127.0.0.1', port: String(port), useTLS: false });
  const out = {};
  try {
    out.single = await ctx.capped('trigger -> receive', 30_000, () => single(ctx, port, pusher));
    // Quick mode keeps to 1,000: opening 5,000 sockets alone takes seconds on a busy 2-core machine.
    for (const n of ctx.full ? [1000, 5000] : [1000]) {
      out[`subscribers${n}`] = await ctx.capped(`fan-out ${n}`, ctx.full ? 150_000 : 30_000, () => many(ctx, port, pusher, n));
    }
  } finally {
    await server.stop();
  }
  return out;
}

/** Wires `fanout-done` reports of client processes to per-trigger promises. */
function completion(clients) {
  const pending = new Map();
  for (const c of clients) {
    c.onEvent((m) => {
      if (m?.event !== 'fanout-done') return;
      const p = pending.get(m.i);
      if (!p) return;
      p.last = Math.max(p.last, m.last);
      if (++p.done === clients.length) {
        pending.delete(m.i);
        p.resolve(p.last);
      }
    });
  }
  return (i) => {
    let resolve;
    const promise = new Promise((r) => (resolve = r));
    pending.set(i, { done: 0, last: 0, resolve });
    return Promise.race([
      promise,
      sleep(10_000).then(() => {
        pending.delete(i);
        throw new Error(`trigger ${i} not received by every subscriber within 10 s`);
      }),
    ]);
  };
}

async function single(ctx, port, pusher) {
  const client = ctx.spawnClient();
  await client.call('connectFanout', { port, count: 1, channel: 'private-single' });
  const done = completion([client]);
  const n = ctx.full ? 3000 : 300;
  const lat = [];
  for (let i = 0; i < n + 50; i++) {
    const arrived = done(i);
    const t0 = now();
    await pusher.trigger('private-single', 'bench', { i, p: PAD });
    const t1 = await arrived;
    if (i >= 50) lat.push(t1 - t0);
  }
  await client.stop();
  ctx.distributions['relay: trigger -> receive, 1 subscriber'] = lat;
  return summarize(lat);
}

async function many(ctx, port, pusher, n) {
  const clients = [ctx.spawnClient(), ctx.spawnClient()];
  await Promise.all(clients.map((c) => c.call('connectFanout', { port, count: n / 2, channel: 'private-fanout' }, 60_000)));
  const done = completion(clients);
  // Last receipt: one trigger at a time, the time until every subscriber has it.
  const k = ctx.full ? (n > 1000 ? 150 : 300) : 40;
  const lat = [];
  let seq = 0;
  for (let j = 0; j < k + 10; j++) {
    const i = seq++;
    const arrived = done(i);
    const t0 = now();
    await pusher.trigger('private-fanout', 'bench', { i, p: PAD });
    const t1 = await arrived;
    if (j >= 10) lat.push(t1 - t0);
    await sleep(2);
  }
  // Deliveries/s: a burst of triggers, 4 in flight, until every subscriber has every one.
  const burst = ctx.full ? (n > 1000 ? 150 : 400) : 60;
  const first = seq;
  const all = [];
  const t0 = now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < burst) {
        const i = first + next++;
        all.push(done(i));
        await pusher.trigger('private-fanout', 'bench', { i, p: PAD });
      }
    }),
  );
  const lasts = await Promise.all(all);
  const elapsed = Math.max(...lasts) - t0;
  await Promise.all(clients.map((c) => c.stop()));
  ctx.distributions[`relay: last receipt, ${n} subscribers`] = lat;
  return {
    subscribers: n,
    lastReceipt: summarize(lat),
    burst: { triggers: burst, elapsedMs: Math.round(elapsed), deliveriesPerSec: Math.round((burst * n) / (elapsed / 1000)) },
  };
}
