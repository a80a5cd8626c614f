import { beforeAll, expect, it } from 'vitest';
import { streamOf, useOutageStorage } from '../../test/kit/storages';
import { insertUpload, uploadKeys } from '../store/uploads';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

// A storage whose deletes can be made to fail: an outage must leave the files queued, not orphaned.
const outage = useOutageStorage('banter-erasure-');
const { storage } = outage;

// Issue 20: erasure leaves zero rows and files, and the others' conversations still read correctly.
describeEachDatabase('chat.api.eraseUser', (target) => {
  const t = useTestServer(target, { rateLimits: false, storage });
  let alice: string;
  let bob: string;
  let carol: string;
  let direct: string;
  let group: string;
  let fileKeys: string[];

  async function upload(conversationId: string, uploaderId: string): Promise<string[]> {
    const row = (await insertUpload(t().server.db.kysely, {
      conversationId,
      uploaderId,
      name: 'a.txt',
      declaredType: 'text/plain',
      size: 5,
    }))!;
    const keys = Object.values(uploadKeys(row));
    for (const key of keys) await storage.write(key, streamOf(new TextEncoder().encode('hello')), { maxBytes: 100 });
    return keys;
  }

  beforeAll(async () => {
    [alice, bob, carol] = [t().userId('er-a'), t().userId('er-b'), t().userId('er-c')];
    for (const id of [alice, bob, carol]) await t().server.api.upsertUser({ id, name: id.toUpperCase() });
    const api = t().server.api;
    direct = (await api.createConversation({ createdBy: alice, participantIds: [bob] })).conversation.id;
    group = (await api.createConversation({ createdBy: alice, participantIds: [bob, carol], title: 'Trio' })).conversation.id;
    await api.sendMessage({ conversationId: direct, senderId: bob, body: 'hi alice' });
    await api.sendMessage({ conversationId: direct, senderId: alice, body: 'hi bob, my number is 555' });
    await api.sendMessage({ conversationId: group, senderId: alice, body: 'alice in the group' });
    // Carol's message stays, but no longer names alice as mentioned (the scan checks text[] columns too).
    await api.call('sendMessage', carol, { conversationId: group, body: 'carol in the group', mentions: [alice] });
    await api.sendMessage({ conversationId: group, senderId: alice, body: 'alice again' });
    fileKeys = [...(await upload(direct, alice)), ...(await upload(group, alice))];
    await upload(group, carol);
  });

  it('before: the scan finds the user everywhere', async () => {
    const report = await t().server.api.verifyErasure(alice);
    expect(report.erased).toBe(false);
    const tables = new Set(report.rows.map((row) => row.table));
    for (const table of ['users', 'participants', 'messages', 'uploads', 'outbox', 'conversations']) expect(tables).toContain(table);
    expect(report.rows).toContainEqual({ table: 'messages', column: 'mentions', rows: 1 });
  });

  it('erases every row and file of the user, even through a storage outage, and the doctor scan proves it', async () => {
    outage.down = true;
    const report = await t().server.api.eraseUser(alice);
    expect(report.counts).toMatchObject({ messages: 3, participants: 2, uploads: 2, users: 1, conversationsDeleted: 0 });
    expect(report.files.pending).toBe(fileKeys.length);
    // The others hear of it without the id: conversation.updated, and user.erased with the erasure id.
    const erasedEvents = await t()
      .server.db.kysely.selectFrom('outbox')
      .select(['channel', 'payload'])
      .where('event', '=', 'user.erased')
      .execute();
    expect(erasedEvents.map((row) => row.channel).sort()).toEqual([`private-user.${bob}`, `private-user.${carol}`].sort());
    for (const row of erasedEvents) expect(JSON.stringify(row.payload)).toContain(report.erasureId);
    expect(JSON.stringify(erasedEvents)).not.toContain(alice);
    const during = await t().server.api.verifyErasure(alice);
    expect(during.rows).toEqual([]);
    expect(during.files.sort()).toEqual([...fileKeys].sort());
    expect(during.erased).toBe(false);

    outage.down = false;
    // The queue retries with backoff; make the retry due now instead of waiting 30 s.
    await t()
      .server.db.kysely.updateTable('file_deletions')
      .set({ next_attempt_at: new Date(0) })
      .execute();
    await t().server.fileDeletions.drain();
    const after = await t().server.api.verifyErasure(alice);
    expect(after).toEqual({ erased: true, rows: [], files: [], erasures: 1 });
    for (const key of fileKeys) expect(await storage.stat(key)).toBeNull();
  });

  it("leaves the others' conversations readable, with right unread counts and last messages", async () => {
    const bobsDirect = await t().server.api.listMessages(bob, direct);
    expect(bobsDirect!.messages.map((m) => m.body)).toEqual(['hi alice']);
    const bobsGroup = await t().server.api.listMessages(bob, group);
    expect(bobsGroup!.messages.map((m) => m.body)).toEqual(['carol in the group']);
    const list = await t().server.api.listConversations(bob);
    const trio = list.conversations.find((c) => c.id === group)!;
    expect(trio.unreadCount).toBe(1);
    expect(trio.lastMessage?.body).toBe('carol in the group');
    expect(trio.participants.map((p) => p.user.id).sort()).toEqual([bob, carol].sort());
    // Carol's own upload is untouched.
    const carolRows = await t().server.db.kysely.selectFrom('uploads').select('id').where('uploader_id', '=', carol).execute();
    expect(carolRows).toHaveLength(1);
  });

  it('tombstones keep every seq of the others and carry no trace of the user', async () => {
    const dave = t().userId('er-d');
    const { conversation } = await t().server.api.createConversation({ createdBy: bob, participantIds: [dave, carol], title: 'Seqs' });
    await t().server.api.sendMessage({ conversationId: conversation.id, senderId: dave, body: 'one' });
    await t().server.api.sendMessage({ conversationId: conversation.id, senderId: bob, body: 'two' });
    await t().server.api.sendMessage({ conversationId: conversation.id, senderId: dave, body: 'three' });
    const report = await t().server.api.eraseUser(dave, { mode: 'tombstone' });
    expect(report.counts.messages).toBe(2);
    const page = await t().server.api.listMessages(bob, conversation.id);
    expect(page!.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(page!.messages.map((m) => [m.body, m.deletedAt !== null])).toEqual([
      ['', true],
      ['two', false],
      ['', true],
    ]);
    expect(page!.messages.every((m) => m.senderId !== dave)).toBe(true);
    expect((await t().server.api.verifyErasure(dave)).erased).toBe(true);
  });

  it('refuses a bad user id with a clear error', async () => {
    await expect(t().server.api.eraseUser('not a valid id!')).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
