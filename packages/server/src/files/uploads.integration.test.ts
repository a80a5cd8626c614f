import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { TEST_SECRET, useTestServer } from '../../test/kit/test-server';
import { makeImage } from '../../test/kit/images';
import { useStorageTargets } from '../../test/kit/storages';
import { createUploads, type Uploads } from './uploads';

const storages = useStorageTargets();
const utf8 = (text: string) => new TextEncoder().encode(text);

describeEachDatabase('uploads', (target) => {
  const t = useTestServer(target);

  describe.each(['local', 's3'] as const)('on %s storage', (name) => {
    const uploadsOf = (): Uploads =>
      createUploads({
        database: t().server.db,
        storage: storages(name).storage,
        secret: TEST_SECRET,
        basePath: '/api',
        limits: { maxBytes: 1_000_000, pendingPerUser: 3 },
      });

    async function pair(tag: string) {
      const [alice, bob, eve] = ['alice', 'bob', 'eve'].map((n) => t().userId(`${n}-${tag}-${name}`)) as [string, string, string];
      await t().server.api.upsertUser({ id: eve });
      const { conversation } = await t().server.api.createConversation({ createdBy: alice, participantIds: [bob] });
      return { alice, bob, eve, conversationId: conversation.id };
    }

    /** What a browser does with the answer: PUT the bytes to the URL (Banter's own, or the bucket's). */
    async function put(uploads: Uploads, answer: { url: string; headers: Record<string, string> }, bytes: Uint8Array<ArrayBuffer>) {
      if (answer.url.startsWith('/api/')) {
        const path = new URL(answer.url, 'http://x').pathname.slice('/api'.length);
        const request = new Request(`http://x${answer.url}`, { method: 'PUT', headers: answer.headers, body: bytes });
        return (await uploads.handle(request, path))!;
      }
      return fetch(answer.url, { method: 'PUT', headers: answer.headers, body: bytes });
    }

    async function get(uploads: Uploads, url: string): Promise<Response> {
      if (!url.startsWith('/api/')) return fetch(url);
      const path = new URL(url, 'http://x').pathname.slice('/api'.length);
      return (await uploads.handle(new Request(`http://x${url}`), path))!;
    }

    it('announce, upload, attach-check, read with signed URLs: an image gets its thumbnail', async () => {
      const uploads = uploadsOf();
      const { alice, conversationId } = await pair('flow');
      const png = await makeImage('png', { width: 640, height: 480 });
      const answer = await uploads.request(alice, { conversationId, name: 'cat.png', type: 'image/png', size: png.byteLength });
      expect(answer).toMatchObject({
        method: 'PUT',
        upload: { conversationId, name: 'cat.png', type: 'image/png', size: png.byteLength, uploaded: false },
      });
      expect(answer.url.startsWith(name === 'local' ? `/api/files/${answer.upload.id}?expires=` : 'http://127.0.0.1:')).toBe(true);
      expect((await put(uploads, answer, png)).status).toBe(200);

      const [row] = await uploads.prepare(alice, conversationId, [answer.upload.id]);
      const [attachment] = await uploads.attachments([row!]);
      expect(attachment).toMatchObject({
        id: answer.upload.id,
        name: 'cat.png',
        type: 'image/png',
        size: png.byteLength,
        image: { width: 640, height: 480, thumbnailWidth: 320, thumbnailHeight: 240 },
      });
      const original = await get(uploads, attachment!.url);
      expect(original.status).toBe(200);
      expect(new Uint8Array(await original.arrayBuffer())).toEqual(png);
      const thumbnail = await get(uploads, attachment!.image!.thumbnailUrl);
      expect([thumbnail.status, thumbnail.headers.get('content-type')]).toEqual([200, 'image/webp']);
    });

    it("refuses: over the size limit, a stranger, too many pending, another user's or conversation's upload, a missing file", async () => {
      const uploads = uploadsOf();
      const { alice, bob, eve, conversationId } = await pair('refuse');
      const announce = (user: string, size = 5, conversation = conversationId) =>
        uploads.request(user, { conversationId: conversation, name: 'a.txt', type: 'text/plain', size });
      await expect(announce(alice, 2_000_000)).rejects.toMatchObject({
        status: 413,
        message: 'invalid upload; files are at most 1000000 bytes',
      });
      await expect(announce(eve)).rejects.toMatchObject({ status: 404 });
      const mine = await announce(alice);
      const other = await pair('refuse-other');
      const elsewhere = await uploads.request(other.alice, {
        conversationId: other.conversationId,
        name: 'b.txt',
        type: 'text/plain',
        size: 5,
      });
      await expect(uploads.prepare(bob, conversationId, [mine.upload.id])).rejects.toMatchObject({ status: 422 });
      await expect(uploads.prepare(alice, conversationId, [elsewhere.upload.id])).rejects.toMatchObject({ status: 422 });
      await expect(uploads.prepare(alice, conversationId, [mine.upload.id])).rejects.toMatchObject({
        status: 422,
        message: 'invalid attachment; its file was never uploaded (PUT it to the upload url first)',
      });
      await announce(alice);
      await announce(alice);
      await expect(announce(alice)).rejects.toMatchObject({ status: 429 });
    });

    it('a disguised file is refused and removed; its upload cannot be attached', async () => {
      const uploads = uploadsOf();
      const { alice, conversationId } = await pair('disguise');
      const page = utf8('<!doctype html><script>alert(1)</script>');
      const answer = await uploads.request(alice, { conversationId, name: 'x.png', type: 'image/png', size: page.byteLength });
      const response = await put(uploads, answer, page).catch((error: { status: number }) => ({ status: error.status }));
      // Banter's endpoint refuses while receiving; the bucket takes anything, and the check at attach refuses.
      if (name === 'local') expect(response.status).toBe(422);
      else expect(response.status).toBe(200);
      await expect(uploads.prepare(alice, conversationId, [answer.upload.id])).rejects.toMatchObject({ status: 422 });
    });

    it('signed links: a changed, expired-looking or missing signature is a 403', async () => {
      if (name === 's3') return; // S3 links are the bucket's (presigned), checked by S3 itself
      const uploads = uploadsOf();
      const { alice, conversationId } = await pair('links');
      const bytes = utf8('hello');
      const answer = await uploads.request(alice, { conversationId, name: 'a.txt', type: 'text/plain', size: 5 });
      await put(uploads, answer, bytes);
      const [row] = await uploads.prepare(alice, conversationId, [answer.upload.id]);
      const [attachment] = await uploads.attachments([row!]);
      const file = await get(uploads, attachment!.url);
      expect(file.headers.get('content-disposition')).toBe(`attachment; filename="a.txt"; filename*=UTF-8''a.txt`);
      expect(file.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      for (const bad of [
        attachment!.url.replace(/signature=(.)/, (_, c: string) => `signature=${c === 'A' ? 'B' : 'A'}`),
        attachment!.url.replace(/expires=\d+/, 'expires=1'),
        attachment!.url.split('?')[0]!,
      ]) {
        await expect(get(uploads, bad)).rejects.toMatchObject({ status: 403 });
      }
      // The upload URL cannot be reused once the file is in.
      await expect(put(uploads, answer, bytes)).rejects.toMatchObject({ status: 409 });
    });

    it('the sweep removes uploads never attached, rows and files', async () => {
      const uploads = uploadsOf();
      const { alice, conversationId } = await pair('sweep');
      const answer = await uploads.request(alice, { conversationId, name: 'old.txt', type: 'text/plain', size: 5 });
      await put(uploads, answer, utf8('hello'));
      expect(await uploads.sweep(60_000)).toBe(0);
      expect(await uploads.sweep(-1)).toBeGreaterThanOrEqual(1);
      expect(await storages(name).storage.stat(`${conversationId}/${answer.upload.id}/original`)).toBeNull();
      await expect(uploads.prepare(alice, conversationId, [answer.upload.id])).rejects.toMatchObject({ status: 422 });
    });
  });
});
