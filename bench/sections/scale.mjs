// 9. Scale (issue 17): 1 and 2 Banter instances on PostgreSQL behind a round-robin balancer, events
// over the Pusher HTTP API (the `pusher` SDK) to the embedded relay run as its own process, reached
// through a proxy that holds every HTTP trigger 20 ms, as hosted Pusher's round trip would.
// - direct: 64 senders in 64 direct conversations in closed loop; both participants' channels are
//   listened to, so every event (two per message) is counted.
// - group: 2 groups of 50, every member listening, 4 senders each; the offered rate goes up step by
//   step (one message = 50 events) until deliveries fall behind or p99 passes 200 ms.
import { now, summarize } from '../lib/common.mjs';

const BROADCASTER_DELAY_MS = 20;
const GROUP_SIZE = 50;
const GROUP_P99_LIMIT_MS = 200;

export async function scale(ctx) {
  const relay = ctx.spawnServer();
  const { port: relayPort } = await relay.call('start', { mode: 'relay' }, 60_000);
  const net = ctx.spawnNet();
  const { port: pusherPort } = await net.call('delay', { target: relayPort, delayMs: BROADCASTER_DELAY_MS });
  const out = { broadcasterDelayMs: BROADCASTER_DELAY_MS, groupSize: GROUP_SIZE, groupP99LimitMs: GROUP_P99_LIMIT_MS };
  for (const instances of [1, 2]) {
    out[`instances${instances}`] = await ctx.capped(`scale, ${instances} instance(s)`, ctx.full ? 110_000 : 40_000, () =>
      runInstances(ctx, { instances, relayPort, pusherPort, net }),
    );
  }
  const one = out.instances1?.group?.capacityEventsPerSec;
  const two = out.instances2?.group?.capacityEventsPerSec;
  out.groupRatio = one && two ? Math.round((two / one) * 100) / 100 : null;
  const d1 = out.instances1?.direct?.eventsPerSec;
  const d2 = out.instances2?.direct?.eventsPerSec;
  out.directRatio = d1 && d2 ? Math.round((d2 / d1) * 100) / 100 : null;
  out.trigger = await net.call('counters');
  return out;
}

async function runInstances(ctx, { instances, relayPort, pusherPort, net }) {
  const servers = Array.from({ length: instances }, () => ctx.spawnServer());
  const started = await Promise.all(
    servers.map((s) =>
      s.call('start', { mode: 'chat', database: { url: ctx.dbUrl, schema: ctx.schema }, pusher: { port: pusherPort } }, 60_000),
    ),
  );
  const { port } = await net.call('balance', { targets: started.map((s) => s.port) });
  const clients = [ctx.spawnClient(), ctx.spawnClient()];
  const result = { instances };
  try {
    result.direct = await direct(ctx, { servers, clients, port, relayPort, prefix: `sc${instances}d-` });
    ctx.log(
      `  scale ${instances}: direct ${result.direct.storedPerSec} msg/s, ${result.direct.eventsPerSec} events/s, p50 ${result.direct.endToEnd.p50} ms, p99 ${result.direct.endToEnd.p99} ms`,
    );
    await Promise.all(clients.map((c) => c.call('stop')));
    result.group = await group(ctx, { servers, clients, port, relayPort, prefix: `sc${instances}g-` });
    result.dispatchers = await Promise.all(servers.map((s) => s.call('dispatcherStats')));
  } finally {
    await Promise.all(clients.map((c) => c.stop()));
    await net.call('stopBalancer');
    await Promise.all(servers.map((s) => s.stop()));
  }
  return result;
}

async function direct(ctx, { servers, clients, port, relayPort, prefix }) {
  const pairs = await servers[0].call('pairs', { count: 64, prefix }, 60_000);
  const halves = [pairs.slice(0, 32), pairs.slice(32)];
  await Promise.all(
    clients.map((c, k) =>
      c.call('connectReceivers', { port: relayPort, receiverIds: halves[k].flatMap((p) => [p.senderId, p.receiverId]) }),
    ),
  );
  // Warm-up (JIT, pooled connections): not counted.
  const warm = await Promise.all(clients.map((c, k) => c.call('closedLoop', { port, pairs: halves[k], durationMs: 1000 }, 40_000)));
  await Promise.all(clients.map((c, k) => c.call('collect', { count: 2 * warm[k].ok, timeoutMs: 10_000 })));
  const durationMs = ctx.full ? 8000 : 2500;
  const cpu0 = await Promise.all(servers.map((s) => s.call('cpu')));
  const t0 = now();
  const loads = await Promise.all(clients.map((c, k) => c.call('closedLoop', { port, pairs: halves[k], durationMs }, durationMs + 40_000)));
  const cpu1 = await Promise.all(servers.map((s) => s.call('cpu')));
  const ok = loads.reduce((s, l) => s + l.ok, 0);
  const got = await Promise.all(clients.map((c, k) => c.call('collect', { count: 2 * loads[k].ok, timeoutMs: 15_000 })));
  const latencies = got.flatMap((g) => g.latencies);
  const last = Math.max(...got.flatMap((g) => g.receiveTimes));
  const elapsed = Math.max(...loads.map((l) => l.elapsedMs));
  const cpuMs = cpu1.reduce((s, c, i) => s + (c.user + c.system - cpu0[i].user - cpu0[i].system) / 1000, 0);
  return {
    senders: 64,
    durationMs,
    storedPerSec: Math.round(ok / (elapsed / 1000)),
    expectedEvents: 2 * ok,
    receivedEvents: latencies.length,
    duplicates: got.reduce((s, g) => s + g.duplicates, 0),
    failed: loads.reduce((s, l) => s + l.failed, 0),
    // From the first send to the last receipt: what the broadcaster path carried.
    eventsPerSec: Math.round(latencies.length / ((last - t0) / 1000)),
    endToEnd: summarize(latencies),
    postAnswer: summarize(loads.flatMap((l) => l.answer)),
    serverCpuMsPerMessage: ok ? Math.round((cpuMs / ok) * 1000) / 1000 : null,
    serverCores: Math.round((cpuMs / elapsed) * 100) / 100,
  };
}

async function group(ctx, { servers, clients, port, relayPort, prefix }) {
  const { members, senders } = await servers[0].call('groups', { count: 2, size: GROUP_SIZE, senders: 4, prefix }, 60_000);
  const memberHalves = [members.slice(0, members.length / 2), members.slice(members.length / 2)];
  await Promise.all(clients.map((c, k) => c.call('connectReceivers', { port: relayPort, receiverIds: memberHalves[k] })));
  // Client k sends in its own group, whose members it listens to: its latencies are its own messages'.
  const senderHalves = [senders.slice(0, 4), senders.slice(4)];
  const stepMs = ctx.full ? 4000 : 1500;
  const rates = ctx.full ? [20, 40, 60, 80, 120, 160, 240] : [20, 40, 80, 120];
  const steps = [];
  let best = null;
  let bestWithinP99 = null;
  for (const rate of rates) {
    const cpu0 = await Promise.all(servers.map((x) => x.call('cpu')));
    const t0 = now();
    const loads = await Promise.all(
      clients.map((c, k) =>
        c.call('openLoop', { port, pairs: senderHalves[k], rate: rate / 2, durationMs: stepMs, maxInflight: 64 }, stepMs + 40_000),
      ),
    );
    const ok = loads.reduce((s, l) => s + l.ok, 0);
    const cpu1 = await Promise.all(servers.map((x) => x.call('cpu')));
    const cpuMs = cpu1.reduce((a, c, i) => a + (c.user + c.system - cpu0[i].user - cpu0[i].system) / 1000, 0);
    const got = await Promise.all(clients.map((c, k) => c.call('collect', { count: GROUP_SIZE * loads[k].ok, timeoutMs: 8000 })));
    const latencies = got.flatMap((g) => g.latencies);
    const last = Math.max(t0, ...got.flatMap((g) => g.receiveTimes));
    const s = summarize(latencies);
    const step = {
      offeredMsgPerSec: rate,
      offeredEventsPerSec: rate * GROUP_SIZE,
      storedPerSec: Math.round(ok / (stepMs / 1000)),
      expectedEvents: GROUP_SIZE * ok,
      receivedEvents: latencies.length,
      duplicates: got.reduce((a, g) => a + g.duplicates, 0),
      failed: loads.reduce((a, l) => a + l.failed, 0),
      skipped: loads.reduce((a, l) => a + l.skipped, 0),
      deliveredEventsPerSec: Math.round(latencies.length / ((last - t0) / 1000)),
      p50: s.p50,
      p99: s.p99,
      postAnswer: loads[0].answer,
      serverCores: Math.round((cpuMs / stepMs) * 100) / 100,
    };
    steps.push(step);
    ctx.log(
      `  scale group step ${rate} msg/s (${step.offeredEventsPerSec} events/s): delivered ${step.deliveredEventsPerSec} events/s, p50 ${s.p50} ms, p99 ${s.p99} ms`,
    );
    // Kept up: the events arrived at (nearly) the offered rate, not only by the end of the wait.
    const held =
      step.receivedEvents >= 0.99 * step.expectedEvents &&
      step.deliveredEventsPerSec >= 0.9 * step.offeredEventsPerSec &&
      step.storedPerSec >= 0.95 * rate &&
      step.failed === 0 &&
      step.skipped === 0;
    if (!held) break;
    best = step;
    if (s.p99 <= GROUP_P99_LIMIT_MS) bestWithinP99 = step;
  }
  const capacity = Math.max(0, ...steps.map((x) => x.deliveredEventsPerSec));
  return { groups: 2, senders: senders.length, stepMs, steps, best, bestWithinP99, capacityEventsPerSec: capacity };
}
