import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandaloneServer, type StandaloneServer } from '../standalone/standalone-server';

// Issue 22 finding 6: partial headers and trickled bodies held a socket of `banter serve` for
// Node's defaults (60 s of headers, 300 s per request).
const start = (timeouts?: { headersTimeout: number; requestTimeout: number }) =>
  startStandaloneServer({
    port: 0,
    host: '127.0.0.1',
    database: {},
    secret: 'slow-clients-test-secret-of-32-characters',
    realtime: { kind: 'embedded', app: { id: 'banter', key: randomBytes(6).toString('hex'), secret: randomBytes(12).toString('hex') } },
    ...(timeouts ? { timeouts } : {}),
    onError: () => {},
  });

/** Open a socket, write `first`, then `drip` every 200 ms; resolves with the ms until the server closed it. */
function holdOpen(port: number, first: string, drip: string, giveUpMs: number): Promise<{ closedAfterMs: number; answer: string }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let answer = '';
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(first));
    const timer = setInterval(() => socket.writable && socket.write(drip), 200);
    const done = () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ closedAfterMs: Date.now() - started, answer });
    };
    const giveUp = setTimeout(() => {
      socket.destroy();
      done();
    }, giveUpMs);
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('error', () => {});
    socket.on('close', done);
  });
}

describe('slow clients against banter serve', () => {
  let tight: StandaloneServer;
  let defaults: StandaloneServer;
  beforeAll(async () => {
    [tight, defaults] = await Promise.all([start({ headersTimeout: 1000, requestTimeout: 2000 }), start()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([tight?.close(), defaults?.close()]);
  });

  it('closes a connection whose headers never finish, after headersTimeout', async () => {
    const { closedAfterMs, answer } = await holdOpen(tight.port, 'GET /api/health HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n', 10_000);
    expect(closedAfterMs).toBeLessThan(4000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes a connection whose body trickles in, after requestTimeout', async () => {
    const head = 'POST /api/conversations HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 10000\r\n\r\n';
    const { closedAfterMs } = await holdOpen(tight.port, head, ' ', 15_000);
    expect(closedAfterMs).toBeLessThan(5000);
  });

  it('uses 10 s for headers by default (Node would wait 60 s)', async () => {
    const { closedAfterMs } = await holdOpen(defaults.port, 'GET /api/health HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n', 20_000);
    expect(closedAfterMs).toBeGreaterThanOrEqual(9000);
    expect(closedAfterMs).toBeLessThan(14_000);
  }, 25_000);

  it('still serves a normal request on the tight server', async () => {
    const res = await fetch(`http://127.0.0.1:${tight.port}/api/health`);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});
