// 5. Memory per idle connection: RSS of the relay process before and after N connections (each
// subscribed to its own private channel), against a bare `ws` server holding the same number.
import { execSync } from 'node:child_process';
import { sleep } from '../lib/common.mjs';

export async function connections(ctx) {
  const limit = Number(execSync('ulimit -n', { shell: '/bin/sh' }).toString().trim()) || 0;
  // Each side of a loopback connection holds a descriptor; the clients are in 2 processes.
  // Quick mode: 5,000 and no bare-ws baseline, to stay under 90 s; full mode: 10,000 and the baseline.
  const wanted = ctx.full ? 10_000 : 5000;
  const n = limit && limit < wanted + 500 ? Math.floor((limit - 500) / 1000) * 1000 : wanted;
  const out = { connections: n, ulimitNofile: limit };
  out.relay = await measure(ctx, 'relay', n, 'connectIdle');
  if (ctx.full) out.bareWs = await measure(ctx, 'ws-idle', n, 'connectRaw');
  if (n < wanted) out.note = `ulimit -n is ${limit}: measured at ${n} connections`;
  return out;
}

async function measure(ctx, mode, n, connect) {
  const server = ctx.spawnServer({ gc: true });
  const { port } = await server.call('start', { mode });
  await sleep(200);
  const before = await server.call('memory');
  const clients = [ctx.spawnClient(), ctx.spawnClient()];
  const t0 = Date.now();
  await Promise.all(clients.map((c, k) => c.call(connect, { port, count: n / 2, offset: k * (n / 2) }, 120_000)));
  const connectMs = Date.now() - t0;
  await sleep(1000);
  const after = await server.call('memory');
  await Promise.all(clients.map((c) => c.stop()));
  await server.stop();
  const per = (k) => Math.round((after[k] - before[k]) / n);
  return {
    connectMs,
    rssPerConnection: per('rss'),
    heapPerConnection: per('heapUsed'),
    externalPerConnection: per('external'),
    rssBefore: before.rss,
    rssAfter: after.rss,
    stats: after.stats ?? null,
  };
}
