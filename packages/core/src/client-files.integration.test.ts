import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databaseTargets } from '@banter/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalStorage } from '../../server/src/files/local-storage';
import type { FileStorage } from '../../server/src/files/storage';
import { makeImage } from '../../server/test/kit/images';
import { until } from '../../server/test/kit/until';
import { type ChatStack, startChatStack } from '../test/chat-stack';
import { createChatClient } from './client';
import type { ChatClient, ChatClientEvents, LocalMessage } from './types';

const MAX_BYTES = 200_000;

// Issue 15: `messages.send(id, { body, files })` against the real server and its local storage.
for (const target of databaseTargets()) {
  describe(`client sends files (${target.name})`, { timeout: 30_000 }, () => {
    let stack: ChatStack;
    const clients: ChatClient[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'banter-client-files-'));
    // Writes can be made to fail (503 from the upload route): a storage outage the queue outlasts.
    let failWrites = 0;
    // Or held until released: an upload still in progress.
    let held: { release(): void; started(): void } | null = null;
    const local = createLocalStorage({ directory: dir });
    const storage: FileStorage = {
      ...local,
      async write(key, body, options) {
        if (failWrites > 0) {
          failWrites--;
          await body.cancel();
          throw Object.assign(new Error('disk unavailable'), { code: 'EIO' });
        }
        if (held) {
          const { started } = held;
          await new Promise<void>((release) => {
            held = { release, started };
            started();
          });
        }
        return local.write(key, body, options);
      },
    };

    beforeAll(async () => {
      stack = await startChatStack(target, { storage, uploads: { maxBytes: MAX_BYTES } });
    }, 60_000);
    afterAll(async () => {
      for (const c of clients) c.close();
      await stack?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    async function pair(tag: string) {
      const [alice, bob] = [stack.userId(`fa-${tag}`), stack.userId(`fb-${tag}`)];
      const make = async (userId: string) => {
        const client = createChatClient({
          url: stack.url,
          token: await stack.token(userId),
          realtime: false,
          timings: { sendBackoff: () => 50 },
        });
        clients.push(client);
        await client.ready;
        return client;
      };
      const [a, b] = [await make(alice), await make(bob)];
      const conversation = await a.conversations.open({ with: bob });
      await b.conversations.get(conversation.id);
      return { a, b, id: conversation.id };
    }

    const pending = (client: ChatClient, id: string, clientId: string) =>
      client.store.getSnapshot().conversations[id]!.messages.find((m) => m.clientId === clientId)!;
    const uploadRows = async () =>
      Number(
        (
          await stack.chat.db.kysely
            .selectFrom('uploads')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const fetchUrl = (url: string) => fetch(new URL(url, stack.url));

    it("an image: shown at once with a local preview and progress, sent with the server's measurements, read by the other", async () => {
      const { a, b, id } = await pair('ok');
      expect(a.uploadLimits).toMatchObject({ maxBytes: MAX_BYTES, perMessage: 10 });
      expect(a.uploadLimits!.allowedTypes).toContain('image/png');
      const png = await makeImage('png', { width: 120, height: 80, color: '#cc3300' });
      const progress: ChatClientEvents['upload'][] = [];
      a.on('upload', (event) => progress.push(event));

      const sent = a.messages.send(id, { body: 'a cat', files: [new File([png], 'cat.png', { type: 'image/png' })] });
      expect(sent.status).toBe('sending');
      expect(sent.files).toEqual([
        {
          name: 'cat.png',
          type: 'image/png',
          size: png.byteLength,
          previewUrl: expect.stringMatching(/^blob:/),
          loaded: 0,
          uploadId: null,
        },
      ]);
      await until('confirmed', () => pending(a, id, sent.clientId).seq !== null);
      const confirmed = pending(a, id, sent.clientId);
      expect(confirmed.files).toBeUndefined();
      expect(confirmed.attachments).toMatchObject([
        { name: 'cat.png', type: 'image/png', size: png.byteLength, image: { width: 120, height: 80, color: expect.stringMatching(/^#/) } },
      ]);
      expect(progress.at(-1)).toMatchObject({
        conversationId: id,
        clientId: sent.clientId,
        index: 0,
        loaded: png.byteLength,
        total: png.byteLength,
      });

      await b.messages.load(id);
      const read = b.store.getSnapshot().conversations[id]!.messages.find((m) => m.clientId === sent.clientId)!;
      const image = read.attachments![0]!;
      expect(new Uint8Array(await (await fetchUrl(image.url)).arrayBuffer())).toEqual(png);
      expect((await fetchUrl(image.image!.thumbnailUrl)).headers.get('content-type')).toBe('image/webp');
    });

    it('over-size, a refused type or too many files fail before any request, and a retry does not send it', async () => {
      const { a, id } = await pair('limits');
      const before = await uploadRows();
      const failed = (m: LocalMessage) =>
        until(`${m.body} failed`, () => (pending(a, id, m.clientId).status === 'failed' ? pending(a, id, m.clientId) : null));
      const big = await failed(a.messages.send(id, { body: 'big', files: [new File([new Uint8Array(MAX_BYTES + 1)], 'big.bin')] }));
      expect(big).toMatchObject({ status: 'failed', error: { code: 'payload_too_large', status: 413 } });
      expect(big.error!.message).toBe(`unable to send big.bin; files are at most ${MAX_BYTES} bytes`);
      const page = await failed(
        a.messages.send(id, { body: 'page', files: [new File(['<p>hi</p>'], 'page.html', { type: 'text/html' })] }),
      );
      expect(page).toMatchObject({ status: 'failed', error: { code: 'unsupported_media_type', status: 415 } });
      const many = await failed(
        a.messages.send(id, { body: 'many', files: Array.from({ length: 11 }, (_, i) => new File(['x'], `${i}.txt`)) }),
      );
      expect(many).toMatchObject({ status: 'failed', error: { code: 'validation_failed' } });
      a.messages.retry(big.clientId);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(pending(a, id, big.clientId).status).toBe('failed');
      expect(await uploadRows()).toBe(before);
      expect(a.messages.discard(big.clientId)).toBe(true);
    });

    it('a disguised type (HTML named and typed as PNG) fails clearly from the server and stores no message', async () => {
      const { a, id } = await pair('disguised');
      const errors: ChatClientEvents['error'][] = [];
      a.on('error', (e) => errors.push(e));
      const fake = a.messages.send(id, {
        body: 'fake',
        files: [new File(['<html><script>alert(1)</script></html>'], 'cat.png', { type: 'image/png' })],
      });
      await until('failed', () => pending(a, id, fake.clientId).status === 'failed');
      const failed = pending(a, id, fake.clientId) as LocalMessage;
      expect(failed.error).toMatchObject({ code: 'unprocessable', status: 422 });
      expect(failed.error!.message).toContain('claims image/png but its bytes are text/html');
      expect(errors.map((e) => e.clientId)).toEqual([fake.clientId]);
      const stored = await stack.chat.api.listMessages(a.me!.id, id, {});
      expect(stored!.messages.some((m) => m.clientId === fake.clientId)).toBe(false);
    });

    it('discard while the files upload cancels: the upload aborts, no message is stored, the next send goes out', async () => {
      const { a, id } = await pair('cancel');
      let started!: () => void;
      const writing = new Promise<void>((resolve) => (started = resolve));
      held = { release: () => {}, started };
      const sent = a.messages.send(id, { body: 'never mind', files: [new File([new Uint8Array(50_000)], 'big.bin')] });
      await writing;
      expect(a.messages.discard(sent.clientId)).toBe(true);
      expect(a.store.getSnapshot().conversations[id]!.messages.some((m) => m.clientId === sent.clientId)).toBe(false);
      const next = a.messages.send(id, 'after the cancel');
      const release = held!.release;
      held = null;
      release();
      await until('next confirmed', () => pending(a, id, next.clientId).seq !== null);
      const stored = await stack.chat.api.listMessages(a.me!.id, id, {});
      expect(stored!.messages.map((m) => m.body)).toEqual(['after the cancel']);
    });

    it('a storage outage during the upload passes: the queue retries and the message carries the file once', async () => {
      const { a, b, id } = await pair('outage');
      failWrites = 2;
      const sent = a.messages.send(id, { body: 'through the outage', files: [new File(['hello'], 'note.txt', { type: 'text/plain' })] });
      await until('confirmed', () => pending(a, id, sent.clientId).seq !== null, 10_000);
      expect(failWrites).toBe(0);
      await b.messages.load(id);
      const read = b.store.getSnapshot().conversations[id]!.messages.find((m) => m.clientId === sent.clientId)!;
      expect(read.attachments).toMatchObject([{ name: 'note.txt', type: 'text/plain', size: 5, image: null }]);
      expect(await (await fetchUrl(read.attachments![0]!.url)).text()).toBe('hello');
    });
  });
}
