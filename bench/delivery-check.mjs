#!/usr/bin/env node
// Does every stored message reach its receiver, exactly once? `node bench/delivery-check.mjs`
// (after `pnpm build`). The chat server with the embedded relay runs in its own process (as in the
// bench); this process subscribes raw `ws` Pusher clients to each receiver's private-user channel and
// sends N messages over HTTP at a fixed rate (open loop) across a few conversations. Then it checks:
// every message answered 201 arrived exactly once (by conversation and seq), nothing arrived that was
// not stored, and the outbox holds no pending or dead row. A failed send (no message stored, so no
// event owed) is reported with its status and body, apart from a lost event.
// Options: --db=pglite|postgres|both (default both), --count=2000, --rate=100, --conversations=8,
// --grace=5000 (ms allowed after the last answer). Env: BENCH_DATABASE_URL. Exit code 1 on any loss.
import { randomUUID } from 'node:crypto';
import { DEFAULT_DATABASE_URL, httpClient, now, pg, pusherConnect, sleep, summarize } from './lib/common.mjs';
import { spawn } from './lib/rpc.mjs';

const arg = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const dbs = arg('db', 'both') === 'both' ? ['pglite', 'postgres'] : [arg('db')];
const count = Number(arg('count', 2000));
const rate = Number(arg('rate', 100));
const conversations = Number(arg('conversations', 8));
const graceMs = Number(arg('grace', 5000));
const dbUrl = process.env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL;

async function checkOne(dialect) {
  const schema = `delivery_check_${process.pid}_${Date.now()}`;
  let admin = null;
  if (dialect === 'postgres') {
    admin = new pg.Client({ connectionString: dbUrl });
    await admin.connect();
    await admin.query(`create schema "${schema}"`);
  }
  const server = spawn('./server-process.mjs', { name: 'server', env: { BANTER_LOG_LEVEL: 'warn' } });
  const sockets = [];
  let http = null;
  try {
    const database = dialect === 'postgres' ? { url: dbUrl, schema } : {};
    const { port } = await server.call('start', { mode: 'chat', database }, 60_000);
    const pairs = await server.call('pairs', { count: conversations, prefix: `check-${dialect}-` });

    // conversationId -> seq -> times received; frames parsed in full, as a client would.
    const received = new Map(pairs.map((p) => [p.conversationId, new Map()]));
    // `${conversationId}#${seq}` -> first arrival / the 201's arrival (ms): the delay the outbox adds.
    const arrivedAt = new Map();
    const answeredAtOf = new Map();
    let strays = 0;
    let lastArrival = 0;
    for (const pair of pairs) {
      sockets.push(
        await pusherConnect(port, [`private-user.${pair.receiverId}`], (raw) => {
          const frame = JSON.parse(raw.toString());
          if (frame.event !== 'message.created') return;
          const data = typeof frame.data === 'string' ? JSON.parse(frame.data) : frame.data;
          const seqs = received.get(data.conversationId);
          if (!seqs) return void strays++;
          seqs.set(data.seq, (seqs.get(data.seq) ?? 0) + 1);
          lastArrival = now();
          if (!arrivedAt.has(`${data.conversationId}#${data.seq}`)) arrivedAt.set(`${data.conversationId}#${data.seq}`, lastArrival);
        }),
      );
    }

    // Open loop: message k is due at start + k/rate, whatever the answers of the earlier ones.
    http = httpClient(port, { maxSockets: 64 });
    const stored = new Map(pairs.map((p) => [p.conversationId, new Set()]));
    const failures = [];
    const pending = [];
    const start = now();
    for (let k = 0; k < count; k++) {
      const wait = start + (k * 1000) / rate - now();
      if (wait > 1) await sleep(wait);
      const pair = pairs[k % pairs.length];
      pending.push(
        http
          .request('POST', `/api/conversations/${pair.conversationId}/messages`, pair.token, { clientId: randomUUID(), body: `check ${k}` })
          .then(
            (r) => {
              if (r.status === 201) {
                const { seq } = JSON.parse(r.text).message;
                stored.get(pair.conversationId).add(seq);
                answeredAtOf.set(`${pair.conversationId}#${seq}`, now());
              } else failures.push(`${r.status} ${r.text.slice(0, 200)}`);
            },
            (error) => failures.push(`network: ${error?.code ?? ''} ${error?.message ?? error}`),
          ),
      );
    }
    await Promise.all(pending);
    const answeredAt = now();
    const sendSeconds = (answeredAt - start) / 1000;

    const missing = () => {
      const out = [];
      for (const [conversationId, seqs] of stored) {
        for (const seq of seqs) if (!received.get(conversationId).has(seq)) out.push(`${conversationId.slice(0, 8)}#${seq}`);
      }
      return out;
    };
    while (missing().length > 0 && now() - answeredAt < graceMs) await sleep(10);
    const lost = missing();
    let duplicates = 0;
    let unstored = 0;
    for (const [conversationId, seqs] of received) {
      for (const [seq, times] of seqs) {
        if (times > 1) duplicates += times - 1;
        if (!stored.get(conversationId).has(seq)) unstored++;
      }
    }
    // Answer -> arrival; negative when the event beat the HTTP answer to the client (the usual case).
    const delays = [...answeredAtOf].filter(([key]) => arrivedAt.has(key)).map(([key, t]) => arrivedAt.get(key) - t);
    const { outbox } = await server.call('metrics');
    const storedCount = [...stored.values()].reduce((n, s) => n + s.size, 0);
    const report = {
      dialect,
      sent: count,
      stored: storedCount,
      failedSends: failures.length,
      failures: failures.slice(0, 5),
      sendSeconds: Math.round(sendSeconds * 10) / 10,
      lost: lost.length,
      lostExamples: lost.slice(0, 10),
      duplicates,
      receivedButNotStored: unstored,
      strays,
      lastArrivalAfterLastAnswerMs: Math.round(Math.max(0, lastArrival - answeredAt)),
      answerToArrivalMs: summarize(delays),
      outbox,
    };
    const ok = lost.length === 0 && duplicates === 0 && unstored === 0 && outbox.pending === 0 && outbox.dead === 0;
    return { ok, report };
  } finally {
    for (const s of sockets) s.terminate();
    http?.close();
    await server.stop();
    if (admin) {
      await admin.query(`drop schema if exists "${schema}" cascade`).catch(() => {});
      await admin.end();
    }
  }
}

let failed = false;
for (const dialect of dbs) {
  const { ok, report } = await checkOne(dialect);
  console.log(`${ok ? 'OK  ' : 'FAIL'} ${JSON.stringify(report)}`);
  if (!ok) failed = true;
}
process.exit(failed ? 1 : 0);
