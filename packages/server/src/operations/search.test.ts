import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

interface Hit {
  message: { id: string; conversationId: string; body: string };
  snippet: string;
  highlights: Array<[number, number]>;
}

// Issue 16: GET /search over the caller's conversations, ranked and paged, with text snippets.
describeEachDatabase('search: GET /search', (target) => {
  const t = useTestServer(target, { rateLimits: false });
  let alice: string;
  let bob: string;
  let carol: string;
  const tokens: Record<string, string> = {};
  let ab: string; // alice + bob
  let bc: string; // bob + carol: alice is not in it

  beforeAll(async () => {
    [alice, bob, carol] = [t().userId('se-a'), t().userId('se-b'), t().userId('se-c')];
    for (const user of [alice, bob, carol]) tokens[user] = await t().token(user);
    ab = (await t().server.api.createConversation({ createdBy: alice, participantIds: [bob] })).conversation.id;
    bc = (await t().server.api.createConversation({ createdBy: bob, participantIds: [carol] })).conversation.id;
  });

  const send = async (conversationId: string, senderId: string, body: string) =>
    (await t().server.api.sendMessage({ conversationId, senderId, body })).message;
  const search = async (user: string, query: Record<string, string | number>) => {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
    return t().call('GET', `/search?${qs}`, { token: tokens[user] });
  };
  const hits = async (user: string, query: Record<string, string | number>): Promise<Hit[]> => {
    const res = await search(user, query);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.results;
  };

  it("finds words (as prefixes, any case) in one's own conversations only, or in one of them", async () => {
    const mine = await send(ab, bob, 'The Zebrafish deployment is done');
    const theirs = await send(bc, bob, 'zebrafish for carol only');
    expect((await hits(alice, { q: 'zebrafish' })).map((h) => h.message.id)).toEqual([mine.id]);
    expect((await hits(alice, { q: 'ZEBRA depl' })).map((h) => h.message.id)).toEqual([mine.id]);
    expect((await hits(bob, { q: 'zebrafish' })).map((h) => h.message.id).sort()).toEqual([mine.id, theirs.id].sort());
    expect((await hits(bob, { q: 'zebrafish', conversationId: bc })).map((h) => h.message.id)).toEqual([theirs.id]);
    // Every word must match.
    expect(await hits(alice, { q: 'zebrafish carol' })).toEqual([]);
    // A conversation one is not in, an unknown one and a malformed id: 404, as on every route.
    for (const conversationId of [bc, randomUUID(), 'nope']) {
      const res = await search(alice, { q: 'zebrafish', conversationId });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await t().server.api.search(carol, 'zebrafish')).results.map((h) => h.message.id)).toEqual([theirs.id]);
  });

  it('re-indexes edits; deleted messages and conversations one left never appear', async () => {
    const sent = await send(ab, alice, 'quokka sighting');
    expect((await hits(bob, { q: 'quokka' })).map((h) => h.message.id)).toEqual([sent.id]);
    const path = `/conversations/${ab}/messages/${sent.id}`;
    expect((await t().call('PATCH', path, { token: tokens[alice], body: { body: 'wombat sighting' } })).status).toBe(200);
    expect(await hits(bob, { q: 'quokka' })).toEqual([]);
    expect((await hits(bob, { q: 'wombat' })).map((h) => h.message.body)).toEqual(['wombat sighting']);
    expect((await t().call('DELETE', path, { token: tokens[alice] })).status).toBeLessThan(300);
    expect(await hits(bob, { q: 'wombat' })).toEqual([]);
    expect(await hits(alice, { q: 'sighting' })).toEqual([]);

    // Leaving a conversation removes one's participant row: nothing of it matches any more.
    const group = (await t().server.api.createConversation({ createdBy: alice, participantIds: [bob, carol], title: 'g' })).conversation.id;
    await send(group, bob, 'narwhal meetup');
    expect(await hits(carol, { q: 'narwhal' })).toHaveLength(1);
    await t().server.db.kysely.deleteFrom('participants').where('conversation_id', '=', group).where('user_id', '=', carol).execute();
    expect(await hits(carol, { q: 'narwhal' })).toEqual([]);
    expect((await search(carol, { q: 'narwhal', conversationId: group })).status).toBe(404);
  });

  it('ranks better matches first and pages with a stable cursor: no repeats, no gaps', async () => {
    const conversationId = (await t().server.api.createConversation({ createdBy: alice, participantIds: [carol] })).conversation.id;
    const best = await send(conversationId, alice, 'axolotl axolotl axolotl');
    const sent = [best.id];
    for (let i = 0; i < 24; i++) sent.push((await send(conversationId, carol, `an axolotl note number ${i} with some more words`)).id);
    const first = await hits(carol, { q: 'axolotl', limit: 1 });
    expect(first[0]!.message.id).toBe(best.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res = await search(carol, { q: 'axolotl', limit: 7, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...res.body.results.map((h: Hit) => h.message.id));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    expect(seen).toHaveLength(25);
    expect(new Set(seen)).toEqual(new Set(sent));
    // Equal ranks: newest first.
    expect(seen.slice(1)).toEqual(sent.slice(1).reverse());
  });

  it('returns snippets as plain text with highlight ranges (markup stays text), cut around the match', async () => {
    const html = await send(ab, alice, '<img src=x onerror=alert(1)> <b>ocelot</b> & friends');
    const [hit] = await hits(bob, { q: 'ocelot' });
    expect(hit!.message.id).toBe(html.id);
    expect(hit!.snippet).toBe('<img src=x onerror=alert(1)> <b>ocelot</b> & friends');
    expect(hit!.highlights.map(([s, e]) => hit!.snippet.slice(s, e))).toEqual(['ocelot']);

    const long = `${'filler words here '.repeat(40)}the pangolin appears ${'and then more text '.repeat(40)}`;
    await send(ab, bob, long);
    const [cut] = await hits(alice, { q: 'pangolin' });
    expect(cut!.snippet.length).toBeLessThanOrEqual(162);
    expect(cut!.snippet.startsWith('…')).toBe(true);
    expect(cut!.snippet.endsWith('…')).toBe(true);
    expect(cut!.highlights.map(([s, e]) => cut!.snippet.slice(s, e))).toEqual(['pangolin']);
    expect(cut!.message.body).toBe(long);

    // Markers in a body never fake a highlight; quotes and backslashes in a query are words.
    await send(ab, bob, "tapir \uE000fake\uE001 it's C:\\tapir");
    const [marked] = await hits(alice, { q: "tapir it's" });
    expect(marked!.snippet).toBe("tapir fake it's C:\\tapir");
    expect(marked!.highlights.map(([s, e]) => marked!.snippet.slice(s, e))).toEqual(['tapir', 'it', 's', 'tapir']);
    for (const q of ["'", '\\', '&|!():*<->', 'a & b | !c', '"quoted phrase"', '-', '🙂']) {
      expect((await search(alice, { q })).status, q).toBe(200);
    }
  });

  it('refuses bad input with 400 validation_failed', async () => {
    const cases: Array<Record<string, string>> = [
      {},
      { q: '' },
      { q: '   ' },
      { q: 'x'.repeat(201) },
      { q: 'ok', cursor: 'not-a-cursor' },
      { q: 'ok', cursor: Buffer.from('0.1~12~nope').toString('base64url') },
      { q: 'ok', cursor: '%%%' },
      { q: 'ok', limit: '0' },
      { q: 'ok', limit: '101' },
      { q: 'ok', limit: 'many' },
      { q: 'ok', extra: '1' },
    ];
    for (const query of cases) {
      const res = await search(alice, query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await search(alice, { q: 'x'.repeat(200) })).status).toBe(200);
    expect((await t().call('GET', '/search?q=ok')).status).toBe(401);
  });
});

describeEachDatabase('search: the text search configuration', (target) => {
  it('defaults to simple; another configuration re-indexes stored messages at start and stems queries', async () => {
    const { createChatServer } = await import('../chat-server');
    const secret = 'test-secret-that-is-at-least-32-characters-long';
    const database = await target.create();
    try {
      const simple = createChatServer({ database, secret, onError: () => {} });
      await simple.ready;
      const { conversation } = await simple.api.createConversation({ createdBy: 'cfg-a', participantIds: ['cfg-b'] });
      await simple.api.sendMessage({ conversationId: conversation.id, senderId: 'cfg-a', body: 'the servers were deployed' });
      // simple: no stemming, no stopwords.
      expect((await simple.api.search('cfg-b', 'deploys')).results).toHaveLength(0);
      expect((await simple.api.search('cfg-b', 'the')).results).toHaveLength(1);
      await simple.close();

      const english = createChatServer({ database, secret, onError: () => {}, search: { config: 'english' } });
      await english.ready;
      expect((await english.api.search('cfg-b', 'deploys server')).results).toHaveLength(1);
      await english.api.sendMessage({ conversationId: conversation.id, senderId: 'cfg-b', body: 'deploying again' });
      expect((await english.api.search('cfg-a', 'deployment')).results).toHaveLength(2);
      await english.close();
    } finally {
      await database.close();
    }
    expect(() => createChatServer({ secret, search: { config: "simple'; drop table x" } })).toThrow(/search.config/);
  });
});
