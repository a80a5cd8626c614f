#!/usr/bin/env node
// `pnpm bench` (quick, under 90 s) and `pnpm bench --full`: latency, throughput, fan-out, memory
// and size of Banter against the physical floor, all measured in one run on this machine.
// Options: --full, --build (rebuild packages first), --only=floor,e2e,...,scale, --cpu-prof (profile the
// server processes into bench/results/prof/). Env: BENCH_DATABASE_URL.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DATABASE_URL, pg, quantilePoints } from './lib/common.mjs';
import { renderMarkdown, renderTable } from './lib/report.mjs';
import { spawn } from './lib/rpc.mjs';
import { latencyChart } from './lib/svg.mjs';

const args = process.argv.slice(2);
const full = args.includes('--full');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const cpuProf = args.includes('--cpu-prof');
const root = new URL('../', import.meta.url);
const resultsDir = new URL('results/', import.meta.url);

function ensureBuilt() {
  const needed = [
    'packages/server/dist/index.js',
    'packages/server/dist/relay.js',
    'packages/core/dist/index.js',
    'packages/widget/dist/widget.js',
  ];
  if (!args.includes('--build') && needed.every((f) => existsSync(new URL(f, root)))) return;
  console.log('bench: building the packages first (pnpm build)...');
  const r = spawnSync('pnpm', ['build'], { cwd: fileURLToPath(root), stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('bench: pnpm build failed');
    process.exit(1);
  }
}

const SECTIONS = [
  ['floor', () => import('./sections/floor.mjs').then((m) => m.floor), 30_000, 120_000],
  ['e2e', () => import('./sections/e2e.mjs').then((m) => m.e2e), 60_000, 320_000],
  ['throughput', () => import('./sections/throughput.mjs').then((m) => m.throughput), 45_000, 240_000],
  ['fanout', () => import('./sections/fanout.mjs').then((m) => m.fanout), 45_000, 360_000],
  ['connections', () => import('./sections/connections.mjs').then((m) => m.connections), 45_000, 180_000],
  ['reads', () => import('./sections/reads.mjs').then((m) => m.reads), 30_000, 600_000],
  ['search', () => import('./sections/search.mjs').then((m) => m.search), 45_000, 900_000],
  ['poll', () => import('./sections/poll.mjs').then((m) => m.poll), 40_000, 240_000],
  ['sizes', () => import('./sections/sizes.mjs').then((m) => m.sizes), 20_000, 20_000],
  ['scale', () => import('./sections/scale.mjs').then((m) => m.scale), 90_000, 240_000],
];

async function main() {
  ensureBuilt();
  const started = new Date();
  const stamp = started.toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const dbUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const schema = `bench_${stamp.replace(/-/g, '').replace('T', '_').toLowerCase()}_${process.pid}`;
  const children = new Set();
  const ctx = {
    full,
    dbUrl,
    schema,
    dropAtEnd: [schema],
    distributions: {},
    machine: machine(),
    dispatcherKind: null,
    log: (s) => console.log(s),
    spawnServer({ gc = false } = {}) {
      const execArgv = [
        ...(gc ? ['--expose-gc'] : []),
        ...(cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${fileURLToPath(new URL('prof/', resultsDir))}`] : []),
      ];
      // Request logs at info would print a JSON line per request into the bench's output; warn keeps
      // errors (override with BANTER_LOG_LEVEL to measure the cost of logging).
      const env = { BANTER_LOG_LEVEL: process.env.BANTER_LOG_LEVEL ?? 'warn' };
      return track(spawn('./server-process.mjs', { execArgv, env, name: 'server' }));
    },
    /** The scale section's 20 ms proxy and round-robin balancer (bench/lib/net-process.mjs). */
    spawnNet() {
      return track(spawn('./net-process.mjs', { name: 'proxies' }));
    },
    spawnClient() {
      return track(spawn('./client-process.mjs', { name: 'load generator' }));
    },
    async capped(name, ms, fn) {
      let timer;
      try {
        return await Promise.race([
          fn(),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${name}: over its ${ms / 1000} s cap`)), ms))),
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
  function track(child) {
    children.add(child);
    child.child.on('exit', () => children.delete(child));
    return child;
  }

  const admin = new pg.Client({ connectionString: dbUrl });
  await admin.connect();
  await admin.query(`create schema "${schema}"`);
  // Interrupted (Ctrl-C): stop the children and drop the run's schemas before leaving.
  let interrupted = false;
  const onSignal = async (signal) => {
    // pnpm and the terminal may both deliver the signal: clean up once, ignore the repeats.
    if (interrupted) return;
    interrupted = true;
    console.error(`bench: ${signal}, cleaning up`);
    await Promise.all([...children].map((c) => c.stop().catch(() => {})));
    for (const s of ctx.dropAtEnd) await admin.query(`drop schema if exists "${s}" cascade`).catch(() => {});
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const results = {};
  const timings = {};
  console.log(`bench: ${full ? 'full' : 'quick'} mode, ${ctx.machine.cpus} cores, node ${process.version}, schema ${schema}`);
  try {
    for (const [name, load, quickCap, fullCap] of SECTIONS) {
      if (only && !only.includes(name)) continue;
      const t = Date.now();
      process.stdout.write(`bench: ${name}...\n`);
      try {
        results[name] = await ctx.capped(name, full ? fullCap : quickCap, async () => (await load())(ctx));
      } catch (error) {
        results[name] = { error: String(error?.message ?? error) };
        console.error(`bench: ${name} failed: ${error?.stack ?? error}`);
      } finally {
        // Whatever a section left running (after a failure or a timeout) ends here, by pid.
        await Promise.all([...children].map((c) => c.stop()));
      }
      timings[name] = Date.now() - t;
      console.log(`bench: ${name} done in ${(timings[name] / 1000).toFixed(1)} s`);
    }
  } finally {
    for (const s of ctx.dropAtEnd) await admin.query(`drop schema if exists "${s}" cascade`).catch(() => {});
    await admin.end();
  }

  const run = {
    mode: full ? 'full' : 'quick',
    command: full ? 'pnpm bench --full' : 'pnpm bench',
    startedAt: started.toISOString(),
    durationMs: Date.now() - started.getTime(),
    // What was measured: the commit, and whether the tree had uncommitted changes.
    commit: gitDescribe(),
    machine: { ...ctx.machine, loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100) },
    dispatcher: ctx.dispatcherKind,
    sectionMs: timings,
    results,
    // Enough of each latency distribution to redraw the chart: [percentile, ms] pairs.
    distributions: Object.fromEntries(Object.entries(ctx.distributions).map(([k, v]) => [k, quantilePoints(v, 101)])),
  };
  mkdirSync(resultsDir, { recursive: true });
  const base = `${stamp}-${run.mode}`;
  const svg = latencyChart(ctx.distributions, `Banter latency distributions (${run.mode} run ${run.startedAt.slice(0, 16)}Z)`);
  writeFileSync(new URL(`${base}.svg`, resultsDir), svg);
  writeFileSync(new URL(`${base}.json`, resultsDir), `${JSON.stringify(run, null, 2)}\n`);
  writeFileSync(new URL(`${base}.md`, resultsDir), renderMarkdown(run, `${base}.svg`));
  console.log(`\n${renderTable(run)}`);
  console.log(`\nbench: report bench/results/${base}.md, data ${base}.json, chart ${base}.svg (${(run.durationMs / 1000).toFixed(1)} s)`);
}

function gitDescribe() {
  const r = spawnSync('git', ['describe', '--always', '--dirty'], { cwd: fileURLToPath(root), encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: os.availableParallelism?.() ?? cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    postgres: null,
  };
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
