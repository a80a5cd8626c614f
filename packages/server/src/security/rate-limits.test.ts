import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, expect, it } from 'vitest';
import { toNodeHandler } from '../entries/node';
import { clientIp } from '../http/rate-limit';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

describeEachDatabase('rate limits', (target) => {
  // The caller's address comes from a test header here; a host would use its proxy's.
  const t = useTestServer(target, {
    rateLimits: { send: { burst: 3, perSecond: 0.2 }, anonymous: { burst: 2, perSecond: 0.2 } },
    getClientIp: (request) => request.headers.get('x-test-ip'),
  });
  let ids: { a: string; b: string; id: string };

  beforeAll(async () => {
    ids = { a: t().userId('rl-a'), b: t().userId('rl-b'), id: '' };
    ids.id = (await t().server.api.createConversation({ createdBy: ids.a, participantIds: [ids.b] })).conversation.id;
  });

  it('answers 429 rate_limited with Retry-After past the send burst, per user, and stores nothing more', async () => {
    const [tokenA, tokenB] = [await t().token(ids.a), await t().token(ids.b)];
    const send = (token: string) =>
      t().call('POST', `/conversations/${ids.id}/messages`, { token, body: { clientId: randomUUID(), body: 'hi' } });
    for (let i = 0; i < 3; i++) expect((await send(tokenA)).status).toBe(201);
    const before = await t().counts();
    const refused = await send(tokenA);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    // About 5 s for one token at 0.2/s (less if the machine was slow between the sends).
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(5);
    expect(refused.body.error.details).toEqual({ retryAfter });
    expect(await t().counts()).toEqual(before);
    // Another user, and reading, are not affected.
    expect((await send(tokenB)).status).toBe(201);
    expect((await t().call('GET', `/conversations/${ids.id}/messages`, { token: tokenA })).status).toBe(200);
  });

  it('limits requests without valid credentials per IP: failed sign-ins, token-less /realtime/auth, /config', async () => {
    const ip = { 'x-test-ip': '203.0.113.10' };
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await t().call('GET', '/me', { token: 'not.a.jwt', headers: ip })).status).toBe(401);
    expect(
      (await t().call('POST', '/realtime/auth', { rawBody: 'socket_id=1.2&channel_name=private-user.x', headers: { ...ip, ...form } }))
        .status,
    ).toBe(401);
    const third = await t().call('GET', '/config', { headers: ip });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await t().call('GET', '/me', { headers: ip })).status).toBe(429);
    // A valid token from the same address is served; so is another address.
    expect((await t().call('GET', '/me', { token: await t().token(ids.b), headers: ip })).status).toBe(200);
    expect((await t().call('GET', '/config', { headers: { 'x-test-ip': '203.0.113.11' } })).status).toBe(200);
    // Health checks are never limited.
    expect((await t().call('GET', '/health', { headers: ip })).status).toBe(200);
  });
});

it('the node adapter hands the socket address to the handler (not a header the caller could forge)', async () => {
  let seen: string | null = 'unset';
  const server = createServer(
    toNodeHandler(async (request) => {
      seen = clientIp(request, {});
      return new Response('{}');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    await (await fetch(`http://127.0.0.1:${port}/x`, { headers: { 'x-forwarded-for': '6.6.6.6' } })).text();
    expect(seen).toBe('127.0.0.1');
  } finally {
    server.close();
  }
});
