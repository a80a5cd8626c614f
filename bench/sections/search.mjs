// 9. Search: `GET /search` for the reader of the read dataset (sections/reads.mjs): 10,000
// conversations, 500,000 of the 1,000,000 messages theirs, in full mode; the smaller set in quick.
// A mix of what people type: a common word, a rare one, two words, a prefix, and one conversation.
import { httpClient, now, pg, summarize } from '../lib/common.mjs';
import { COMMON_WORDS, conversationId, ensureDataset, SIZES, VOCABULARY } from './reads.mjs';

export async function search(ctx) {
  const size = ctx.full ? SIZES.full : SIZES.quick;
  const schema = ctx.full ? 'bench_reads' : `${ctx.schema}_reads`;
  if (!ctx.full && !ctx.dropAtEnd.includes(schema)) ctx.dropAtEnd.push(schema);
  const server = ctx.spawnServer();
  const { port } = await server.call('start', { mode: 'chat', database: { url: ctx.dbUrl, schema } }, 120_000);
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
  const pick = (list) => list[Math.floor(Math.random() * list.length)];
  const rare = () => VOCABULARY[COMMON_WORDS.length + 2000 + Math.floor(Math.random() * 2000)];
  const mid = () => VOCABULARY[COMMON_WORDS.length + Math.floor(Math.random() * 200)];
  const kinds = {
    'common word': async () => `q=${pick(COMMON_WORDS)}`,
    'rare word': async () => `q=${rare()}`,
    'two words': async () => `q=${encodeURIComponent(`${pick(COMMON_WORDS)} ${mid()}`)}`,
    prefix: async () => `q=${pick(COMMON_WORDS.filter((w) => w.length >= 5)).slice(0, 3)}`,
    'one conversation': async () =>
      `q=${pick(COMMON_WORDS)}&conversationId=${await conversationId(1 + Math.floor(Math.random() * size.readerConversations))}`,
  };
  const get = async (query) => {
    const t = now();
    const r = await http.request('GET', `/api/search?${query}`, token);
    if (r.status !== 200) throw new Error(`GET /search?${query} answered ${r.status}: ${r.text}`);
    return [now() - t, JSON.parse(r.text).results.length];
  };
  for (let i = 0; i < 10; i++) await get(await kinds['common word']());
  const n = ctx.full ? 1000 : 150;
  const all = [];
  const byKind = Object.fromEntries(Object.keys(kinds).map((k) => [k, []]));
  let empty = 0;
  const names = Object.keys(kinds);
  for (let i = 0; i < n; i++) {
    const kind = names[i % names.length];
    const [ms, count] = await get(await kinds[kind]());
    all.push(ms);
    byKind[kind].push(ms);
    if (count === 0) empty++;
  }
  // The next page of a common word (the cursor path).
  const paged = [];
  for (let i = 0; i < (ctx.full ? 100 : 20); i++) {
    const first = JSON.parse((await http.request('GET', `/api/search?q=${pick(COMMON_WORDS)}`, token)).text);
    if (first.nextCursor)
      paged.push((await get(`q=${pick(COMMON_WORDS)}&cursor=${encodeURIComponent(first.nextCursor)}`).catch(() => [NaN]))[0]);
  }
  http.close();
  await server.stop();
  ctx.distributions['search: GET /search (mix)'] = all;
  return {
    dataset: {
      schema,
      readerConversations: size.readerConversations,
      messages: size.totalConversations * size.messagesPerConversation,
      readerMessages: size.readerConversations * size.messagesPerConversation,
      kept: ctx.full,
      builtThisRun: built.built,
      buildMs: built.ms,
    },
    all: summarize(all),
    byKind: Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, summarize(v)])),
    nextPage: summarize(paged.filter((x) => !Number.isNaN(x))),
    emptyResults: empty,
  };
}
