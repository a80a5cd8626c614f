// Measures the relay's memory per idle connection and the cost of one broadcast.
// Needs a build (`pnpm build`). Run: node --expose-gc bench/relay-memory.mjs [connections]
// (By the relay engineer; `pnpm bench` measures the same thing, with clients in 2 processes, in its
// connections section. This one also counts the CPU of one broadcast to every socket.)
// The relay runs in this process; the clients run in a child process so their memory is not counted.
import { fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const N = Number(process.argv[2] ?? 5000);
const APP = { id: 'bench', key: 'bench-key', secret: 'bench-secret' };

if (process.env.RELAY_BENCH_CLIENT) {
  // Child: open N connections, each subscribed to its own private channel and a shared public one.
  const { WebSocket } = await import('./lib/common.mjs');
  const port = Number(process.env.RELAY_BENCH_CLIENT);
  let received = 0;
  const sockets = [];
  const open = () =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/app/${APP.key}?protocol=7`);
      ws.on('error', reject);
      let subscribed = 0;
      ws.on('message', (raw) => {
        const msg = JSON.parse(raw.toString());
        if (msg.event === 'pusher:connection_established') {
          const socketId = JSON.parse(msg.data).socket_id;
          const channel = `private-user.${sockets.length}`;
          const auth = `${APP.key}:${createHmac('sha256', APP.secret).update(`${socketId}:${channel}`).digest('hex')}`;
          ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel, auth } }));
          ws.send(JSON.stringify({ event: 'pusher:subscribe', data: { channel: 'everyone' } }));
        } else if (msg.event === 'pusher_internal:subscription_succeeded') {
          if (++subscribed === 2) resolve(ws);
        } else if (msg.event === 'bench') {
          received++;
          if (received === N) process.send({ received });
        }
      });
    });
  for (let i = 0; i < N; i++) sockets.push(await open());
  process.send({ connected: sockets.length });
} else {
  const { createRelay } = await import('../packages/server/dist/relay.js');
  const gc = globalThis.gc ?? (() => undefined);
  // One loopback address opens every connection: lift the per-IP and pending caps.
  const relay = createRelay({ apps: [APP], limits: { maxConnectionsPerIp: 1e6, maxPendingConnections: 1e6 } });
  const { port } = await relay.listen(0, '127.0.0.1');
  const measure = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return { rss: m.rss, heap: m.heapUsed, external: m.external + m.arrayBuffers };
  };
  await new Promise((r) => setTimeout(r, 200));
  const before = measure();
  const child = fork(fileURLToPath(import.meta.url), [String(N)], { env: { ...process.env, RELAY_BENCH_CLIENT: String(port) } });
  await new Promise((resolve) => child.on('message', (m) => m.connected && resolve()));
  await new Promise((r) => setTimeout(r, 500));
  const after = measure();
  const per = (k) => Math.round((after[k] - before[k]) / N);
  console.log(`${N} connections, each subscribed to 2 channels:`, relay.stats());
  console.log(`per connection: rss ${per('rss')} B, heap ${per('heap')} B, external ${per('external')} B`);
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  relay.publish('everyone', 'bench', { text: 'x'.repeat(200) });
  const fanoutMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  await new Promise((resolve) => child.on('message', (m) => m.received && resolve()));
  console.log(
    `one broadcast to ${N} sockets: ${fanoutMs.toFixed(1)} ms to queue (cpu ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms), all received`,
  );
  child.kill();
  await relay.close();
}
