// 1. The physical floor, measured in the same run: one PostgreSQL insert+commit, one loopback
// WebSocket round trip. Nothing Banter does can be faster than these.
import { WebSocket, now, pg, sleep, summarize } from '../lib/common.mjs';

export async function floor(ctx) {
  const n = ctx.full ? 2000 : 400;
  const client = new pg.Client({ connectionString: ctx.dbUrl });
  await client.connect();
  const pgLat = [];
  try {
    await client.query(`create table "${ctx.schema}".floor (id bigserial primary key, v text not null)`);
    const insert = { name: 'floor-insert', text: `insert into "${ctx.schema}".floor (v) values ($1)` };
    for (let i = 0; i < n + 50; i++) {
      const t = now();
      await client.query({ ...insert, values: ['x'.repeat(64)] });
      if (i >= 50) pgLat.push(now() - t);
    }
    const { rows } = await client.query('show server_version');
    ctx.machine.postgres = rows[0].server_version;
    const sync = await client.query('show synchronous_commit');
    ctx.machine.synchronousCommit = sync.rows[0].synchronous_commit;
  } finally {
    await client.end();
  }

  const server = ctx.spawnServer();
  const { port } = await server.call('start', { mode: 'ws-echo' });
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const wsLat = [];
  const frame = JSON.stringify({ event: 'bench', data: 'x'.repeat(200) });
  for (let i = 0; i < n + 50; i++) {
    const t = now();
    await new Promise((resolve) => {
      ws.once('message', resolve);
      ws.send(frame);
    });
    if (i >= 50) wsLat.push(now() - t);
    if (i % 100 === 0) await sleep(0);
  }
  ws.terminate();
  await server.stop();

  const pgInsertCommit = summarize(pgLat);
  const wsRoundTrip = summarize(wsLat);
  ctx.distributions['floor: PostgreSQL insert+commit'] = pgLat;
  ctx.distributions['floor: WebSocket round trip'] = wsLat;
  return {
    pgInsertCommit,
    wsRoundTrip,
    // The least a message can cost: one durable commit plus one trip over a socket.
    floor: { p50: pgInsertCommit.p50 + wsRoundTrip.p50, p99: pgInsertCommit.p99 + wsRoundTrip.p99 },
  };
}
