import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useOutageStorage } from '../../test/kit/storages';
import { useTestServer } from '../../test/kit/test-server';
import { makeImage } from '../../test/kit/images';

// A storage whose deletes can be made to fail: an outage must leave the files queued, not orphaned.
const outage = useOutageStorage('banter-delete-files-');
const { storage } = outage;

// Issue 15: deleting a message removes its files through the file_deletions queue.
describeEachDatabase('deleting a message removes its attachments', (target) => {
  const t = useTestServer(target, { rateLimits: false, storage });
  let alice: string;
  let bob: string;
  let conversationId: string;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    [alice, bob] = [t().userId('df-a'), t().userId('df-b')];
    for (const user of [alice, bob]) tokens[user] = await t().token(user);
    conversationId = (await t().server.api.createConversation({ createdBy: alice, participantIds: [bob] })).conversation.id;
  });

  async function sendWithImage(): Promise<{ messageId: string; uploadId: string; keys: string[] }> {
    const png = await makeImage('png', { width: 40, height: 30 });
    const answer = await t().call('POST', `/conversations/${conversationId}/uploads`, {
      token: tokens[alice],
      body: { name: 'pic.png', type: 'image/png', size: png.byteLength },
    });
    expect(answer.status).toBe(201);
    const put = await t().server.handler(
      new Request(`http://localhost${answer.body.url}`, { method: 'PUT', headers: answer.body.headers, body: png }),
    );
    expect(put.status).toBe(200);
    const uploadId: string = answer.body.upload.id;
    const sent = await t().call('POST', `/conversations/${conversationId}/messages`, {
      token: tokens[alice],
      body: { clientId: randomUUID(), body: 'look', attachments: [uploadId] },
    });
    expect(sent.status).toBe(201);
    const keys = [`${conversationId}/${uploadId}/original`, `${conversationId}/${uploadId}/thumbnail`];
    for (const key of keys) expect(await storage.stat(key)).not.toBeNull();
    return { messageId: sent.body.message.id, uploadId, keys };
  }

  const queued = async (keys: string[]) =>
    (await t().server.db.kysely.selectFrom('file_deletions').select('key').where('key', 'in', keys).execute()).map((r) => r.key).sort();

  it('queues both files in the delete, no read returns them, the sweep removes them', async () => {
    const { messageId, uploadId, keys } = await sendWithImage();
    const deleted = await t().call('DELETE', `/conversations/${conversationId}/messages/${messageId}`, { token: tokens[alice] });
    expect(deleted.status).toBe(200);
    expect(deleted.body.message.attachments).toBeUndefined();
    expect(await queued(keys)).toEqual([...keys].sort());
    expect(await t().server.db.kysely.selectFrom('uploads').select('id').where('id', '=', uploadId).execute()).toEqual([]);

    const page = await t().call('GET', `/conversations/${conversationId}/messages`, { token: tokens[bob] });
    const read = page.body.messages.find((m: { id: string }) => m.id === messageId);
    expect(read).toMatchObject({ body: '' });
    expect(read.attachments).toBeUndefined();
    // The upload id cannot be attached again either.
    const reuse = await t().call('POST', `/conversations/${conversationId}/messages`, {
      token: tokens[alice],
      body: { clientId: randomUUID(), body: 'again', attachments: [uploadId] },
    });
    expect(reuse.status).toBe(422);

    expect(await t().server.fileDeletions.drain()).toBeGreaterThanOrEqual(2);
    for (const key of keys) expect(await storage.stat(key)).toBeNull();
    expect(await queued(keys)).toEqual([]);
  });

  it('a storage outage keeps the files queued; the retry removes them', async () => {
    const { messageId, keys } = await sendWithImage();
    outage.down = true;
    try {
      const deleted = await t().call('DELETE', `/conversations/${conversationId}/messages/${messageId}`, { token: tokens[alice] });
      expect(deleted.status).toBe(200);
      await expect(t().server.fileDeletions.drain()).rejects.toThrow('storage unavailable');
      expect(await queued(keys)).toEqual([...keys].sort());
      for (const key of keys) expect(await storage.stat(key)).not.toBeNull();
    } finally {
      outage.down = false;
    }
    // The queue retries with backoff; make the retry due now instead of waiting 30 s.
    await t()
      .server.db.kysely.updateTable('file_deletions')
      .set({ next_attempt_at: new Date(0) })
      .execute();
    await t().server.fileDeletions.drain();
    for (const key of keys) expect(await storage.stat(key)).toBeNull();
    expect(await queued(keys)).toEqual([]);
  });

  it('deleting again changes nothing and queues nothing new', async () => {
    const { messageId, keys } = await sendWithImage();
    const path = `/conversations/${conversationId}/messages/${messageId}`;
    expect((await t().call('DELETE', path, { token: tokens[alice] })).status).toBe(200);
    await t().server.fileDeletions.drain();
    expect((await t().call('DELETE', path, { token: tokens[alice] })).status).toBe(200);
    expect(await queued(keys)).toEqual([]);
  });
});
