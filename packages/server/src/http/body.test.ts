import { describe, expect, it } from 'vitest';
import { readBodyText, readFormBody, readJsonBody } from './body';

function streamingRequest(chunks: number, chunkSize: number, onPull: () => void) {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      onPull();
      if (sent++ >= chunks) controller.close();
      else controller.enqueue(new Uint8Array(chunkSize).fill(0x61));
    },
  });
  return new Request('http://x/', { method: 'POST', body, duplex: 'half', headers: { 'content-type': 'application/json' } } as RequestInit);
}

describe('request bodies', () => {
  it('stops reading a stream as soon as it passes the limit', async () => {
    let pulls = 0;
    const request = streamingRequest(1000, 1024, () => pulls++);
    await expect(readBodyText(request, 4096)).rejects.toMatchObject({ code: 'payload_too_large', status: 413 });
    // 5 chunks pass 4 KiB; a few more may be pulled ahead, never the whole 1000.
    expect(pulls).toBeLessThan(20);
  });

  it('refuses a declared Content-Length over the limit before reading', async () => {
    const request = new Request('http://x/', { method: 'POST', body: 'x', headers: { 'content-length': '999999' } });
    await expect(readBodyText(request, 100)).rejects.toMatchObject({ code: 'payload_too_large' });
  });

  it('reads a body exactly at the limit', async () => {
    const request = streamingRequest(4, 1024, () => {});
    expect(await readBodyText(request, 4096)).toHaveLength(4096);
  });

  it('treats an empty optional JSON body as {} and a missing content type on a non-empty one as 415', async () => {
    expect(await readJsonBody(new Request('http://x/', { method: 'POST' }), 100, { optional: true })).toEqual({});
    await expect(
      readJsonBody(new Request('http://x/', { method: 'POST', body: '{}', headers: { 'content-type': '' } }), 100, { optional: true }),
    ).rejects.toMatchObject({ code: 'unsupported_media_type' });
    expect(
      await readJsonBody(
        new Request('http://x/', { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json; charset=utf-8' } }),
        100,
      ),
    ).toEqual({ a: 1 });
  });

  it('reads pusher-js form bodies and JSON ones', async () => {
    const form = new Request('http://x/', {
      method: 'POST',
      body: 'socket_id=1.2&channel_name=private-user.a',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(await readFormBody(form, 100)).toEqual({ socket_id: '1.2', channel_name: 'private-user.a' });
    const json = new Request('http://x/', { method: 'POST', body: '{"socket_id":"1.2"}', headers: { 'content-type': 'application/json' } });
    expect(await readFormBody(json, 100)).toEqual({ socket_id: '1.2' });
  });
});
