import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';
import { makeImage } from '../../test/kit/images';
import { useStorageTargets } from '../../test/kit/storages';

const storages = useStorageTargets();

describeEachDatabase('uploads over HTTP', (target) => {
  describe.each(['local', 's3'] as const)('on %s storage', (name) => {
    const t = useTestServer(target, {
      rateLimits: false,
      uploads: { maxBytes: 1_000_000 },
      // Read when the server starts (beforeAll), after the storages exist.
      get storage() {
        return storages(name).storage;
      },
    });

    async function setup(tag: string) {
      const [alice, bob, eve] = ['a', 'b', 'e'].map((n) => t().userId(`${n}-${tag}-${name}`)) as [string, string, string];
      const { conversation } = await t().server.api.createConversation({ createdBy: alice, participantIds: [bob] });
      return { alice, bob, eve, id: conversation.id, token: await t().token(alice), strangerToken: await t().token(eve) };
    }

    /** PUT the bytes where the answer says: Banter's own route (local) or the bucket (S3). */
    async function putFile(answer: { url: string; headers: Record<string, string> }, bytes: Uint8Array<ArrayBuffer>): Promise<Response> {
      const init = { method: 'PUT', headers: answer.headers, body: bytes };
      return answer.url.startsWith('http')
        ? fetch(answer.url, init)
        : t().server.handler(new Request(`http://localhost${answer.url}`, init));
    }

    it('POST /conversations/:id/uploads answers 201 with where to PUT; the PUT stores the file', async () => {
      const { id, token } = await setup('ok');
      const png = await makeImage('png');
      const answer = await t().call('POST', `/conversations/${id}/uploads`, {
        token,
        body: { name: 'a.png', type: 'image/png', size: png.byteLength },
      });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        upload: { conversationId: id, name: 'a.png', size: png.byteLength, uploaded: false },
        method: 'PUT',
      });
      expect(answer.body.headers).toEqual({ 'content-type': 'image/png' });
      expect(Date.parse(answer.body.expiresAt)).toBeGreaterThan(Date.now());
      const put = await putFile(answer.body, png);
      expect(put.status).toBe(200);
      if (name === 'local') expect((await put.json()).upload).toMatchObject({ type: 'image/png', uploaded: true });
      expect(await storages(name).storage.stat(`${id}/${answer.body.upload.id}/original`)).toEqual({ size: png.byteLength });
    });

    it('refuses bad input with clear errors: a bad name or size 400, too big 413, a stranger 404', async () => {
      const { id, token, strangerToken } = await setup('bad');
      const post = (body: unknown, as = token) => t().call('POST', `/conversations/${id}/uploads`, { token: as, body });
      const slash = await post({ name: '../etc/passwd', type: 'text/plain', size: 1 });
      expect([slash.status, slash.body.error.code]).toEqual([400, 'validation_failed']);
      expect((await post({ name: 'a', type: 'text/plain', size: -1 })).status).toBe(400);
      expect((await post({ name: 'a', type: 'not a type', size: 1 })).status).toBe(400);
      expect((await post({ name: 'a', type: 'text/plain', size: 1, url: 'http://evil' })).status).toBe(400);
      const big = await post({ name: 'a', type: 'text/plain', size: 2_000_000 });
      expect([big.status, big.body.error]).toEqual([
        413,
        { code: 'payload_too_large', message: 'invalid upload; files are at most 1000000 bytes', details: { limit: 1_000_000 } },
      ]);
      expect((await post({ name: 'a', type: 'text/plain', size: 1 }, strangerToken)).status).toBe(404);
      expect((await t().call('POST', '/conversations/not-a-uuid/uploads', { token, body: { name: 'a', type: '', size: 1 } })).status).toBe(
        404,
      );
    });

    it('a message takes uploads by id; both participants read it with signed URLs; nothing half-sent', async () => {
      const { id, token, bob } = await setup('send');
      const png = await makeImage('png', { width: 100, height: 50 });
      const answer = await t().call('POST', `/conversations/${id}/uploads`, {
        token,
        body: { name: 'pic.png', type: 'image/png', size: png.byteLength },
      });
      expect((await putFile(answer.body, png)).status).toBe(200);
      const uploadId = answer.body.upload.id;

      // Someone else's upload, or one never PUT, is refused and no message is stored.
      const bobToken = await t().token(bob);
      const before = await t().counts();
      const theirs = await t().call('POST', `/conversations/${id}/messages`, {
        token: bobToken,
        body: { clientId: randomUUID(), body: 'x', attachments: [uploadId] },
      });
      expect([theirs.status, theirs.body.error.code]).toEqual([422, 'unprocessable']);
      const empty = await t().call('POST', `/conversations/${id}/uploads`, {
        token,
        body: { name: 'never.txt', type: 'text/plain', size: 3 },
      });
      const missing = await t().call('POST', `/conversations/${id}/messages`, {
        token,
        body: { clientId: randomUUID(), body: 'x', attachments: [uploadId, empty.body.upload.id] },
      });
      expect(missing.status).toBe(422);
      expect(await t().counts()).toEqual(before);

      const sent = await t().call('POST', `/conversations/${id}/messages`, {
        token,
        body: { clientId: randomUUID(), body: 'look', attachments: [uploadId] },
      });
      expect(sent.status).toBe(201);
      expect(sent.body.message.attachments).toMatchObject([
        {
          id: uploadId,
          name: 'pic.png',
          type: 'image/png',
          size: png.byteLength,
          image: { width: 100, height: 50, thumbnailWidth: 100, thumbnailHeight: 50 },
        },
      ]);
      // Taken: it cannot go on a second message.
      const again = await t().call('POST', `/conversations/${id}/messages`, {
        token,
        body: { clientId: randomUUID(), body: 'again', attachments: [uploadId] },
      });
      expect(again.status).toBe(409);

      const page = await t().call('GET', `/conversations/${id}/messages`, { token: bobToken });
      const read = page.body.messages.find((m: { id: string }) => m.id === sent.body.message.id);
      expect(read.attachments[0].id).toBe(uploadId);
      const url: string = read.attachments[0].url;
      const file = url.startsWith('http') ? await fetch(url) : await t().server.handler(new Request(`http://localhost${url}`));
      expect(file.status).toBe(200);
      expect(new Uint8Array(await file.arrayBuffer())).toEqual(png);
      // Messages without files read as before.
      expect(page.body.messages.filter((m: { attachments?: unknown }) => m.attachments).length).toBe(1);
    });

    it('the file routes: a preflight is answered, a PUT without a signature is a 403, an unknown path a 404', async () => {
      const options = await t().server.handler(
        new Request('http://localhost/files/00000000-0000-4000-8000-000000000000', { method: 'OPTIONS' }),
      );
      expect([options.status, options.headers.get('allow')]).toEqual([204, 'GET, HEAD, PUT']);
      const unsigned = await t().server.handler(
        new Request('http://localhost/files/00000000-0000-4000-8000-000000000000', { method: 'PUT', body: 'x' }),
      );
      expect([unsigned.status, (await unsigned.json()).error.code]).toEqual([403, 'forbidden']);
      expect((await t().server.handler(new Request('http://localhost/files/nope'))).status).toBe(404);
    });
  });
});
