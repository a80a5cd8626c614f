// 6. Reads: the conversation list page and a history page for a user with many conversations.
// Full mode: 10,000 conversations of that user in a database of 1,000,000 messages, built once and
// kept in schema bench_reads. Quick mode: a smaller set in the run's own schema (the report says so).
import { pg, httpClient, now, summarize } from '../lib/common.mjs';

export const SIZES = {
  full: { readerConversations: 10_000, totalConversations: 20_000, messagesPerConversation: 50 },
  quick: { readerConversations: 1_000, totalConversations: 2_000, messagesPerConversation: 25 },
};

export async function reads(ctx) {
  const size = ctx.full ? SIZES.full : SIZES.quick;
  const schema = ctx.full ? 'bench_reads' : `${ctx.schema}_reads`;
  if (!ctx.full) ctx.dropAtEnd.push(schema);
  const server = ctx.spawnServer();
  const { port } = await server.call('start', { mode: 'chat', database: { url: ctx.dbUrl, schema } }, 60_000);
  const client = new pg.Client({ connectionString: ctx.dbUrl });
  await client.connect();
  let built;
  try {
    built = await ensureDataset(ctx, client, schema, size);
  } finally {
    await client.end();
  }
  const token = await server.call('token', { userId: 'reader' });
  const http = httpClient(port, { maxSockets: 1 });
  const n = ctx.full ? 1000 : 200;
  const get = async (path) => {
    const t = now();
    const r = await http.request('GET', path, token);
    if (r.status !== 200) throw new Error(`GET ${path} answered ${r.status}: ${r.text}`);
    return [now() - t, r.text];
  };
  // Warm up: the first requests pay for plan caching and page faults.
  for (let i = 0; i < 20; i++) await get('/api/conversations');
  const list = [];
  const deep = [];
  const history = [];
  const [, firstText] = await get('/api/conversations');
  let cursor = JSON.parse(firstText).nextCursor;
  for (let i = 0; i < 10 && cursor; i++)
    cursor = JSON.parse((await get(`/api/conversations?cursor=${encodeURIComponent(cursor)}`))[1]).nextCursor;
  for (let i = 0; i < n; i++) {
    list.push((await get('/api/conversations'))[0]);
    if (cursor) deep.push((await get(`/api/conversations?cursor=${encodeURIComponent(cursor)}`))[0]);
    const g = 1 + Math.floor(Math.random() * size.readerConversations);
    const before = 2 + Math.floor(Math.random() * (size.messagesPerConversation - 1));
    const id = await conversationId(g);
    history.push((await get(`/api/conversations/${id}/messages?limit=50&before=${before}`))[0]);
  }
  http.close();
  await server.stop();
  ctx.distributions['reads: conversation list page'] = list;
  ctx.distributions['reads: history page'] = history;
  return {
    dataset: {
      schema,
      ...size,
      messages: size.totalConversations * size.messagesPerConversation,
      kept: ctx.full,
      builtThisRun: built.built,
      buildMs: built.ms,
    },
    listFirstPage: summarize(list),
    listPage11: deep.length ? summarize(deep) : null,
    historyPage: summarize(history),
  };
}

/** The same id the dataset's SQL computes: md5('c' || g) shaped as a version 4 uuid (the API checks). */
export async function conversationId(g) {
  const { createHash } = await import('node:crypto');
  const m = createHash('md5').update(`c${g}`).digest('hex');
  const h = `${m.slice(0, 12)}4${m.slice(13, 16)}8${m.slice(17)}`;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The words of the dataset's messages: everyday chat words first (the common ones), then made-up
 * topic words (`zq17`...) that each appear rarely. Search queries draw from both (sections/search.mjs).
 */
export const COMMON_WORDS = (
  'the you to it is and for on that we can in this with be have at do not are will just so ok what ' +
  'meeting tomorrow deploy release build review merge branch ticket customer invoice report design ' +
  'launch budget schedule lunch coffee call later today thanks please update draft server client ' +
  'login error fixed issue test staging production backup config ready done sure great'
).split(' ');
export const VOCABULARY = [...COMMON_WORDS, ...Array.from({ length: 5000 - COMMON_WORDS.length }, (_, k) => `zq${k}`)];

export async function ensureDataset(ctx, client, schema, size) {
  const s = `"${schema}"`;
  const meta = JSON.stringify({ ...size, ids: 'v4', bodies: 'words-1' });
  await client.query(`create table if not exists ${s}.bench_meta (size text not null)`);
  const { rows } = await client.query(`select size from ${s}.bench_meta`);
  if (rows[0]?.size === meta) return { built: false, ms: 0 };
  ctx.log(`  building the read dataset in ${schema} (${size.totalConversations * size.messagesPerConversation} messages)...`);
  const t = Date.now();
  const { readerConversations: R, totalConversations: T, messagesPerConversation: M } = size;
  await client.query('begin');
  await client.query(`set local search_path to ${s}`);
  // cascade: the tables of later migrations (reactions, versions, uploads...) reference these.
  await client.query('truncate outbox, messages, participants, conversations, users, bench_meta cascade');
  await client.query(
    `insert into users (id, name) select 'reader', 'Reader'
    union all select 'p' || g, 'P ' || g from generate_series(1, $1::int) g
    union all select 'q' || g, 'Q ' || g from generate_series($2::int + 1, $1::int) g`,
    [T, R],
  );
  // Conversation g: p<g> with the reader (g <= R) or with q<g>; newer g, newer activity.
  await client.query(
    `insert into conversations (id, kind, direct_key, created_by, last_seq, last_message_at, created_at)
    select overlay(overlay(md5('c' || g) placing '4' from 13) placing '8' from 17)::uuid, 'direct',
      least('p' || g, o) || ' ' || greatest('p' || g, o), 'p' || g, $3::int,
      now() - ($1::int - g) * interval '1 second', now() - interval '1 day'
    from (select g, case when g <= $2::int then 'reader' else 'q' || g end as o from generate_series(1, $1::int) g) x`,
    [T, R, M],
  );
  await client.query(
    `insert into participants (conversation_id, user_id, last_read_seq, unread_count, activity_at, joined_at)
    select c.id, u.user_id, case when u.user_id like 'p%' then $1::int else $1::int - 3 end,
      case when u.user_id like 'p%' then 0 else 3 end, c.last_message_at, c.created_at
    from conversations c, lateral (values (split_part(c.direct_key, ' ', 1)), (split_part(c.direct_key, ' ', 2))) u(user_id)`,
    [M],
  );
  await client.query(
    `insert into messages (conversation_id, seq, sender_id, body, created_at)
    select overlay(overlay(md5('c' || g) placing '4' from 13) placing '8' from 17)::uuid, s, 'p' || g,
      -- 8-10 words, skewed towards the common ones (search has real selectivity to face); the
      -- series bound names g and s so the subquery runs per row.
      (select string_agg(($3::text[])[1 + floor(array_length($3::text[], 1) * power(random(), 2.5))::int], ' ')
        from generate_series(1, 8 + (g + s) % 3) i),
      now() - ($1::int - g) * interval '1 second' - ($2::int - s) * interval '1 millisecond'
    from generate_series(1, $1::int) g, generate_series(1, $2::int) s`,
    [T, M, VOCABULARY],
  );
  await client.query(`insert into bench_meta values ($1)`, [meta]);
  await client.query('commit');
  await client.query(`analyze ${s}.users, ${s}.conversations, ${s}.participants, ${s}.messages`);
  return { built: true, ms: Date.now() - t };
}
