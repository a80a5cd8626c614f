// 3. Sustained throughput on PostgreSQL: 64 senders in 64 conversations, the offered rate raised
// step by step until p99 (POST -> message.created) passes 50 ms; then 64 senders on one conversation.
import { summarize } from '../lib/common.mjs';

const SENDERS = 64;
const P99_LIMIT_MS = 50;

export async function throughput(ctx) {
  const server = ctx.spawnServer();
  const { port } = await server.call('start', { mode: 'chat', database: { url: ctx.dbUrl, schema: ctx.schema } }, 60_000);
  const pairs = await server.call('pairs', { count: SENDERS, prefix: 'tp-' }, 60_000);
  const halves = [pairs.slice(0, SENDERS / 2), pairs.slice(SENDERS / 2)];
  const clients = [ctx.spawnClient(), ctx.spawnClient()];
  await Promise.all(clients.map((c, k) => c.call('connectReceivers', { port, receiverIds: halves[k].map((p) => p.receiverId) })));

  // Warm up first (JIT, pooled connections, each sender's first request): not part of any step.
  const warmMs = ctx.full ? 3000 : 1000;
  const warm = await Promise.all(
    clients.map((c, k) => c.call('closedLoop', { port, pairs: halves[k], durationMs: warmMs }, warmMs + 30_000)),
  );
  // Every warm-up message must have arrived, or its (queued) latency would count in the first step.
  await Promise.all(clients.map((c, k) => c.call('collect', { count: warm[k].ok, timeoutMs: 5000 })));

  const stepMs = ctx.full ? 5000 : 2000;
  const steps = [];
  let firstLatencies = [];
  let best = null;
  let rate = 100;
  const started = Date.now();
  const budget = ctx.full ? 150_000 : 12_000;
  while (Date.now() - started < budget) {
    const cpu0 = await server.call('cpu');
    const loads = await Promise.all(
      clients.map((c, k) =>
        c.call('openLoop', { port, pairs: halves[k], rate: rate / 2, durationMs: stepMs, maxInflight: 256 }, stepMs + 30_000),
      ),
    );
    const ok = loads.reduce((s, l) => s + l.ok, 0);
    const cpu1 = await server.call('cpu');
    const collected = await Promise.all(clients.map((c) => c.call('collect', { count: 0, timeoutMs: 0 })));
    // Give late deliveries a moment, then take what arrived.
    const late = await Promise.all(
      clients.map((c, k) => c.call('collect', { count: Math.max(0, loads[k].ok - collected[k].latencies.length), timeoutMs: 3000 })),
    );
    const latencies = [...collected, ...late].flatMap((c) => c.latencies);
    const s = summarize(latencies);
    if (steps.length === 0) firstLatencies = latencies;
    const step = {
      offered: rate,
      storedPerSec: Math.round(ok / (stepMs / 1000)),
      deliveredPerSec: Math.round(latencies.length / (stepMs / 1000)),
      failed: loads.reduce((a, l) => a + l.failed, 0),
      skipped: loads.reduce((a, l) => a + l.skipped, 0),
      p50: s.p50,
      p99: s.p99,
      // Server process CPU per stored message, and the share of one core it used.
      serverCpuMsPerMessage: ok ? Math.round(((cpu1.user + cpu1.system - cpu0.user - cpu0.system) / 1000 / ok) * 1000) / 1000 : null,
      serverCores: Math.round(((cpu1.user + cpu1.system - cpu0.user - cpu0.system) / 1000 / stepMs) * 100) / 100,
    };
    steps.push(step);
    ctx.log(
      `  throughput step ${rate}/s: stored ${step.storedPerSec}/s, delivered ${step.deliveredPerSec}/s, p50 ${s.p50} ms, p99 ${s.p99} ms`,
    );
    const keptUp = step.storedPerSec >= 0.95 * rate && step.skipped === 0 && step.failed === 0;
    if (s.p99 > P99_LIMIT_MS || !keptUp) break;
    best = step;
    ctx.distributions['throughput: last step under 50 ms p99'] = latencies;
    rate = Math.round(rate * 1.5);
  }

  if (!best && steps.length) ctx.distributions[`throughput: ${steps[0].offered} msg/s, 64 conversations`] = firstLatencies;

  // Capacity whatever the latency: the 64 senders in closed loop, each sending as soon as answered.
  const capMs = ctx.full ? 10_000 : 3000;
  const cpuA = await server.call('cpu');
  const capLoads = await Promise.all(
    clients.map((c, k) => c.call('closedLoop', { port, pairs: halves[k], durationMs: capMs }, capMs + 30_000)),
  );
  const cpuB = await server.call('cpu');
  const capOk = capLoads.reduce((s, l) => s + l.ok, 0);
  const capDelivered = await Promise.all(clients.map((c, k) => c.call('collect', { count: capLoads[k].ok, timeoutMs: 5000 })));
  const capElapsed = Math.max(...capLoads.map((l) => l.elapsedMs));
  const capCpuMs = (cpuB.user + cpuB.system - cpuA.user - cpuA.system) / 1000;
  const saturated = {
    storedPerSec: Math.round(capOk / (capElapsed / 1000)),
    deliveredPerSec: Math.round(capDelivered.reduce((s, c) => s + c.latencies.length, 0) / (capElapsed / 1000)),
    failed: capLoads.reduce((s, l) => s + l.failed, 0),
    postAnswer: summarize(capLoads.flatMap((l) => l.answer)),
    endToEnd: summarize(capDelivered.flatMap((c) => c.latencies)),
    serverCpuMsPerMessage: capOk ? Math.round((capCpuMs / capOk) * 1000) / 1000 : null,
    serverCores: Math.round((capCpuMs / capElapsed) * 100) / 100,
  };
  ctx.log(`  closed loop, 64 senders: ${saturated.storedPerSec} stored/s, server CPU ${saturated.serverCpuMsPerMessage} ms/message`);

  // One hot conversation: 64 requests in flight into the same conversation (its row lock serializes them).
  const hotPairs = await server.call('pairs', { count: SENDERS, prefix: 'hot-', hot: true });
  await Promise.all(clients.map((c) => c.call('stop')));
  await clients[0].call('connectReceivers', { port, receiverIds: [hotPairs[0].receiverId] });
  const hotMs = ctx.full ? 10_000 : 2000;
  const hotLoads = await Promise.all(
    clients.map((c, k) => c.call('closedLoop', { port, pairs: hotPairs.slice(k * 32, k * 32 + 32), durationMs: hotMs }, hotMs + 30_000)),
  );
  const hotOk = hotLoads.reduce((s, l) => s + l.ok, 0);
  const hotDelivered = await clients[0].call('collect', { count: hotOk, timeoutMs: 5000 });
  const hotElapsed = Math.max(...hotLoads.map((l) => l.elapsedMs));
  await Promise.all(clients.map((c) => c.stop()));
  await server.stop();
  return {
    senders: SENDERS,
    stepMs,
    steps,
    sustained: best,
    saturated,
    hot: {
      senders: SENDERS,
      storedPerSec: Math.round(hotOk / (hotElapsed / 1000)),
      deliveredPerSec: Math.round(hotDelivered.latencies.length / (hotElapsed / 1000)),
      failed: hotLoads.reduce((s, l) => s + l.failed, 0),
      postAnswer: summarize(hotLoads.flatMap((l) => l.answer)),
      endToEnd: summarize(hotDelivered.latencies),
    },
  };
}
