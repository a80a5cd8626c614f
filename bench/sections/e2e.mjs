// 2. End to end: sender's POST /messages -> receiver's message.created over the relay, at low load
// (one message in flight) and at a fixed moderate rate, on PostgreSQL and on PGlite.
import { httpClient, now, pusherConnect, round, sleep, summarize } from '../lib/common.mjs';
import { randomUUID } from 'node:crypto';

export async function e2e(ctx) {
  const out = {};
  for (const dialect of ['postgres', 'pglite']) {
    try {
      out[dialect] = await ctx.capped(`e2e ${dialect}`, ctx.full ? 150_000 : 30_000, () => runOne(ctx, dialect));
    } catch (error) {
      out[dialect] = { error: String(error?.message ?? error) };
      ctx.log(`  e2e ${dialect} failed: ${error?.message ?? error}`);
    }
  }
  return out;
}

async function runOne(ctx, dialect) {
  const server = ctx.spawnServer();
  const database = dialect === 'postgres' ? { url: ctx.dbUrl, schema: ctx.schema } : {};
  const { port, dispatcher } = await server.call('start', { mode: 'chat', database }, 60_000);
  ctx.dispatcherKind = dispatcher;
  ctx.log(`  e2e ${dialect}: server up (delivery: ${dispatcher})`);
  const [pair] = await server.call('pairs', { count: 1, prefix: `e2e-${dialect}-` });

  // Low load: the orchestrator sends one message, waits for it to arrive, then sends the next.
  const n = ctx.full ? 2000 : 200;
  let waiter = null;
  const ws = await pusherConnect(port, [`private-user.${pair.receiverId}`], (raw) => {
    if (raw.toString().includes('message.created')) waiter?.(now());
  });
  const http = httpClient(port, { maxSockets: 1 });
  const lat = [];
  const answer = [];
  let cpu0 = null;
  for (let i = 0; i < n + 30; i++) {
    const received = new Promise((resolve) => (waiter = resolve));
    const t0 = now();
    const r = await http.request('POST', `/api/conversations/${pair.conversationId}/messages`, pair.token, {
      clientId: randomUUID(),
      body: `@@${t0.toFixed(3)}@@`,
    });
    if (r.status !== 201) throw new Error(`send answered ${r.status}: ${r.text}`);
    const tAnswer = now();
    const t1 = await Promise.race([received, sleep(5000).then(() => NaN)]);
    if (Number.isNaN(t1)) throw new Error('a message was not delivered within 5 s');
    if (i === 29) cpu0 = await server.call('cpu');
    if (i >= 30) {
      lat.push(t1 - t0);
      answer.push(tAnswer - t0);
    }
    await sleep(1);
  }
  const cpu1 = await server.call('cpu');
  const serverCpuMsPerMessage = round((cpu1.user + cpu1.system - cpu0.user - cpu0.system) / 1000 / n, 3);
  ws.terminate();
  http.close();

  ctx.log(`  e2e ${dialect}: low load p50 ${summarize(lat).p50} ms`);
  // Moderate rate: open loop from a separate load generator over 8 conversations.
  const rate = 100;
  const durationMs = ctx.full ? 20_000 : 3000;
  const pairs = await server.call('pairs', { count: 8, prefix: `e2e-${dialect}-m-` });
  const client = ctx.spawnClient();
  await client.call('connectReceivers', { port, receiverIds: pairs.map((p) => p.receiverId) });
  const load = await client.call('openLoop', { port, pairs, rate, durationMs }, durationMs + 30_000);
  const { latencies, duplicates } = await client.call('collect', { count: load.ok, timeoutMs: 5000 });
  await client.stop();
  await server.stop();

  const label = dialect === 'postgres' ? 'PostgreSQL' : 'PGlite';
  ctx.distributions[`e2e ${label}, low load`] = lat;
  ctx.distributions[`e2e ${label}, ${rate} msg/s`] = latencies;
  return {
    dispatcher,
    lowLoad: summarize(lat),
    serverCpuMsPerMessage,
    postAnswer: summarize(answer),
    moderate: {
      rate,
      durationMs,
      sent: load.sent,
      stored: load.ok,
      failed: load.failed,
      statuses: load.statuses,
      errors: load.errors,
      delivered: latencies.length,
      duplicates,
      ...summarize(latencies),
    },
  };
}
