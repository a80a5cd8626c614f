import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { Relay, RelayOptions } from './types';
import { APP, call, md5, signedUrl, startRelay } from '../../test/kit/relay';

let relay: Relay | null = null;

afterEach(async () => {
  await relay?.close();
  relay = null;
});

async function start(options: Partial<RelayOptions> = {}) {
  const started = await startRelay(options);
  relay = started.relay;
  return started.port;
}

const event = JSON.stringify({ name: 'message.created', channels: ['room'], data: '{}' });
const path = `/apps/${APP.id}/events`;

describe('relay HTTP API', () => {
  it('accepts a correctly signed request', async () => {
    const port = await start();
    expect(await call(port, 'POST', signedUrl('POST', path, event), event)).toEqual({ status: 200, body: {} });
  });

  it('answers 401 for a bad signature, a stale timestamp, a wrong or missing body_md5, a wrong key', async () => {
    const port = await start();
    const cases = [
      signedUrl('POST', path, event, { secret: 'wrong' }),
      signedUrl('POST', path, event, { timestamp: Math.floor(Date.now() / 1000) - 610 }),
      signedUrl('POST', path, event, { timestamp: Math.floor(Date.now() / 1000) + 610 }),
      signedUrl('POST', path, event, { md5: md5('something else') }),
      signedUrl('POST', path, null),
      signedUrl('POST', path, event).replace(`auth_key=${APP.key}`, 'auth_key=other'),
      path,
    ];
    for (const url of cases) {
      const res = await call(port, 'POST', url, event);
      expect(res.status, url).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
    // A tampered signature with a valid shape.
    const good = signedUrl('POST', path, event);
    const flipped = good.slice(0, -1) + (good.endsWith('0') ? '1' : '0');
    expect((await call(port, 'POST', flipped, event)).status).toBe(401);
  });

  it('answers 400 for bad bodies and 404 for unknown apps and routes', async () => {
    const port = await start();
    const bad = async (body: string) => (await call(port, 'POST', signedUrl('POST', path, body), body)).status;
    expect(await bad('not json')).toBe(400);
    expect(await bad(JSON.stringify({ name: 'x', channels: ['room'], data: { not: 'a string' } }))).toBe(400);
    expect(await bad(JSON.stringify({ name: 'x', channels: ['bad channel'], data: '{}' }))).toBe(400);
    expect(await bad(JSON.stringify({ name: 'x', channels: Array.from({ length: 101 }, (_, i) => `c${i}`), data: '{}' }))).toBe(400);
    expect(await bad(JSON.stringify({ name: 'x', channels: ['room'], data: '{}', socket_id: 'abc' }))).toBe(400);
    const batchPath = `/apps/${APP.id}/batch_events`;
    const batch = JSON.stringify({ batch: Array.from({ length: 11 }, () => ({ channel: 'room', name: 'x', data: '{}' })) });
    expect((await call(port, 'POST', signedUrl('POST', batchPath, batch), batch)).status).toBe(400);
    expect((await call(port, 'GET', '/apps/unknown/channels')).status).toBe(404);
    expect((await call(port, 'GET', signedUrl('GET', `/apps/${APP.id}/nothing`, null))).status).toBe(404);
    expect((await call(port, 'GET', signedUrl('GET', path, null))).status).toBe(405);
  });

  it('refuses an oversize body with 413 while reading it, without a content-length', async () => {
    const port = await start({ limits: { maxHttpBodyBytes: 1024 } });
    const body = JSON.stringify({ name: 'x', channels: ['room'], data: 'z'.repeat(4000) });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`http://127.0.0.1:${port}${signedUrl('POST', path, body)}`, { method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      // Chunked: the relay cannot know the size up front.
      for (let i = 0; i < body.length; i += 500) req.write(body.slice(i, i + 500));
      req.end();
    });
    expect(status).toBe(413);
  });
});
