// 7. The source design's delivery, in the same run: the outbox polled every second, no wake-up
// on commit, against Banter's default (in-process wake right after commit).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { summarize } from '../lib/common.mjs';

const SCRIPT = new URL('../outbox-latency.mjs', import.meta.url);

export async function poll(ctx) {
  // The outbox engineer's measurement (commit -> trigger), when it exists, is the primary one.
  const outboxScript = existsSync(SCRIPT) ? await runOutboxScript(ctx) : null;
  // Ours, end to end over the relay: same server, same load, only the delivery differs.
  const endToEnd = {};
  for (const delivery of ['default', 'poll']) endToEnd[delivery] = await endToEndAt(ctx, delivery);
  return {
    outboxLatencyScript: outboxScript,
    endToEnd,
    ratioP50: ratio(endToEnd.poll.p50, endToEnd.default.p50),
    ratioP99: ratio(endToEnd.poll.p99, endToEnd.default.p99),
  };
}

const ratio = (a, b) => (a && b ? Math.round((a / b) * 10) / 10 : null);

async function endToEndAt(ctx, delivery) {
  const server = ctx.spawnServer();
  const { port, dispatcher } = await server.call(
    'start',
    { mode: 'chat', database: { url: ctx.dbUrl, schema: ctx.schema }, delivery },
    60_000,
  );
  const pairs = await server.call('pairs', { count: 4, prefix: `poll-${delivery}-` });
  const client = ctx.spawnClient();
  await client.call('connectReceivers', { port, receiverIds: pairs.map((p) => p.receiverId) });
  const rate = 20;
  const durationMs = ctx.full ? 15_000 : 3000;
  const load = await client.call('openLoop', { port, pairs, rate, durationMs }, durationMs + 30_000);
  const { latencies } = await client.call('collect', { count: load.ok, timeoutMs: 3000 });
  await client.stop();
  await server.stop();
  ctx.distributions[`delivery ${delivery === 'poll' ? 'poll-only 1 s' : 'default (wake on commit)'}, ${rate} msg/s`] = latencies;
  return { dispatcher, rate, sent: load.ok, delivered: latencies.length, postAnswer: load.answer, ...summarize(latencies) };
}

/** The outbox engineer's script, on the run's PostgreSQL; it writes bench/results/outbox-latency.json. */
function runOutboxScript(ctx) {
  const file = new URL('../results/outbox-latency.json', import.meta.url);
  const startedAt = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(SCRIPT), `--database-url=${ctx.dbUrl}`, `--messages=${ctx.full ? 300 : 100}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), ctx.full ? 120_000 : 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      try {
        if (statSync(file).mtimeMs < startedAt) throw new Error('no fresh result file');
        const { results, ratio } = JSON.parse(readFileSync(file, 'utf8'));
        resolve({ exitCode: code, results, ratio });
      } catch {
        resolve({ exitCode: code, output: output.trim().slice(-2000) });
      }
    });
  });
}
