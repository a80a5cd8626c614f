#!/usr/bin/env node
// Commit -> trigger latency of the outbox dispatcher, woken in process after each commit, against the
// same dispatcher with wake-ups off polling every second (a classic queue worker), in one run.
// Run `pnpm build` first, then `node bench/outbox-latency.mjs [--messages=300] [--database-url=postgres://...]`
// (or BENCH_DATABASE_URL). Default database: in-memory PGlite. Writes bench/results/outbox-latency.json.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createChatServer, createDatabase } from '../packages/server/dist/index.js';

const args = process.argv.slice(2);
const arg = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const messages = Math.max(10, Math.min(2000, Number(arg('messages') ?? 300)));
const databaseUrl = arg('database-url') ?? process.env.BENCH_DATABASE_URL ?? null;
const SECRET = 'bench-secret-that-is-at-least-32-characters-long';
const CONVERSATIONS = 10;
// Sends are spaced by a random 0-10 ms, so a polling worker sees commits at random points of its period.
const MAX_GAP_MS = 10;
const DEADLINE_MS = 20_000;

const modes = [
  { name: 'in-process wake-up', key: 'wake', dispatcher: {} },
  { name: 'poll only, 1 s', key: 'poll1s', dispatcher: { wakeOnCommit: false, listen: false, pollIntervalMs: 1000 } },
];

/** A broadcaster that only notes when each message's events were triggered. */
function timingBroadcaster(onTrigger) {
  const app = { id: 'bench', key: 'bench-key', secret: 'bench-secret' };
  return {
    app,
    clientConfig: { key: app.key, cluster: 'banter', wsHost: null, wsPort: null, wssPort: null, forceTLS: false },
    maxBatchSize: 10,
    async trigger() {},
    async triggerBatch(events) {
      const at = performance.now();
      for (const e of events) if (e.name === 'message.created') onTrigger(`${e.data.conversationId}:${e.data.seq}`, at);
    },
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(mode) {
  const schema = `bench_outbox_${randomBytes(4).toString('hex')}`;
  const database = createDatabase(databaseUrl ? { url: databaseUrl, schema } : { schema });
  // Rows per message still to trigger (one per participant), and when the last one was.
  const remaining = new Map();
  const triggeredAt = new Map();
  const broadcaster = timingBroadcaster((key, at) => {
    const left = (remaining.get(key) ?? 2) - 1;
    remaining.set(key, left);
    if (left === 0) triggeredAt.set(key, at);
  });
  const chat = createChatServer({ database, secret: SECRET, broadcaster, dispatcher: mode.dispatcher });
  try {
    await chat.ready;
    const conversations = [];
    for (let i = 0; i < CONVERSATIONS; i++) {
      const { conversation } = await chat.api.createConversation({ createdBy: `a${i}`, participantIds: [`b${i}`] });
      conversations.push({ id: conversation.id, users: [`a${i}`, `b${i}`] });
    }
    await chat.dispatcher.flush();
    // The commit instant: the chat server signals right after each commit that wrote outbox rows.
    let lastCommit = 0;
    chat.outboxSignal.subscribe(() => {
      lastCommit = performance.now();
    });
    const committedAt = new Map();
    const started = performance.now();
    for (let i = 0; i < messages; i++) {
      const c = conversations[i % CONVERSATIONS];
      const { message } = await chat.api.sendMessage({ conversationId: c.id, senderId: c.users[i % 2], body: `message ${i}` });
      committedAt.set(`${c.id}:${message.seq}`, lastCommit);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * MAX_GAP_MS));
    }
    const sendMs = performance.now() - started;
    const deadline = Date.now() + DEADLINE_MS;
    while (triggeredAt.size < messages && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const latencies = [...committedAt].filter(([key]) => triggeredAt.has(key)).map(([key, at]) => triggeredAt.get(key) - at);
    latencies.sort((a, b) => a - b);
    const round = (ms) => Math.round(ms * 100) / 100;
    return {
      mode: mode.name,
      messages,
      delivered: latencies.length,
      p50Ms: round(percentile(latencies, 50)),
      p99Ms: round(percentile(latencies, 99)),
      maxMs: round(latencies.at(-1) ?? Number.NaN),
      meanMs: round(latencies.reduce((s, x) => s + x, 0) / Math.max(1, latencies.length)),
      sendSeconds: round(sendMs / 1000),
    };
  } finally {
    await chat.close();
    if (databaseUrl)
      await database.kysely.schema
        .dropSchema(schema)
        .ifExists()
        .cascade()
        .execute()
        .catch(() => {});
    await database.close();
  }
}

const results = [];
for (const mode of modes) {
  process.stdout.write(`outbox-latency: ${mode.name} (${messages} messages)...\n`);
  results.push({ key: mode.key, ...(await measure(mode)) });
}
const [wake, poll] = results;
const ratio = { p50: Math.round((poll.p50Ms / wake.p50Ms) * 10) / 10, p99: Math.round((poll.p99Ms / wake.p99Ms) * 10) / 10 };

const rows = [
  ['mode', 'delivered', 'p50 ms', 'p99 ms', 'max ms'],
  ...results.map((r) => [r.mode, `${r.delivered}/${r.messages}`, r.p50Ms, r.p99Ms, r.maxMs]),
];
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
for (const row of rows) console.log(row.map((cell, i) => String(cell).padEnd(widths[i])).join('  '));
console.log(
  `poll-only / wake-up: p50 x${ratio.p50}, p99 x${ratio.p99}  (database: ${databaseUrl ? 'postgres' : 'pglite'}, node ${process.version})`,
);

const out = new URL('results/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(
  new URL('outbox-latency.json', out),
  `${JSON.stringify({ date: new Date().toISOString(), database: databaseUrl ? 'postgres' : 'pglite', node: process.version, results, ratio }, null, 2)}\n`,
);
if (results.some((r) => r.delivered < r.messages)) {
  console.error('outbox-latency: some messages were not delivered in time');
  process.exitCode = 1;
}
