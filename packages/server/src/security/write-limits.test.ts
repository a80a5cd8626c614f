import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { createRateLimitGuard } from '../http/rate-limit-guard';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

// Issue 22 finding 4: sends per user were limited; creating conversations, marking read and channel
// authorization were not, per user nor per IP.
describeEachDatabase('write limits', (target) => {
  const t = useTestServer(target, {
    rateLimits: {
      create: { burst: 2, perSecond: 0.1 },
      write: { burst: 3, perSecond: 0.1 },
      perIp: { send: { burst: 4, perSecond: 0.1 }, create: { burst: 3, perSecond: 0.1 } },
    },
    getClientIp: (request) => request.headers.get('x-test-ip'),
  });
  let ids: { a: string; b: string; conversationId: string };

  beforeAll(async () => {
    ids = { a: t().userId('wl-a'), b: t().userId('wl-b'), conversationId: '' };
    ids.conversationId = (await t().server.api.createConversation({ createdBy: ids.a, participantIds: [ids.b] })).conversation.id;
  });

  const expect429 = (res: { status: number; body: { error: { code: string } }; headers: Headers }) => {
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  };

  it('limits new conversations per user, and writes nothing once refused', async () => {
    const token = await t().token(t().userId('wl-creator'));
    const create = () => t().call('POST', '/conversations', { token, body: { participantIds: [randomUUID()], title: 'g' } });
    expect((await create()).status).toBe(201);
    expect((await create()).status).toBe(201);
    const before = await t().counts();
    expect429(await create());
    expect(await t().counts()).toEqual(before);
    // The host's own calls are not limited.
    await t().server.api.createConversation({ createdBy: t().userId('wl-creator'), participantIds: ['x1'], title: 'by host' });
  });

  it('limits mark-read and channel authorization per user (one write budget)', async () => {
    const token = await t().token(ids.b);
    const read = () => t().call('POST', `/conversations/${ids.conversationId}/read`, { token, body: {} });
    expect((await read()).status).toBe(200);
    expect((await read()).status).toBe(200);
    const auth = await t().server.handler(
      new Request('http://localhost/realtime/auth', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: `socket_id=1.2&channel_name=private-user.${ids.b}`,
      }),
    );
    expect(auth.status).toBe(200);
    expect429(await read());
  });

  it('limits one address over many users: sends and new conversations per IP', async () => {
    const headers = { 'x-test-ip': '203.0.113.9' };
    const users = await Promise.all([1, 2, 3, 4, 5].map((i) => t().token(t().userId(`wl-ip-${i}`))));
    const create = (token: string) => t().call('POST', '/conversations', { token, headers, body: { participantIds: [ids.a], title: 't' } });
    const results = [];
    for (const token of users) results.push((await create(token)).status);
    expect(results).toEqual([201, 201, 201, 429, 429]);
    // Another address is not held back by this one.
    const other = await t().call('POST', '/conversations', {
      token: users[4]!,
      headers: { 'x-test-ip': '203.0.113.10' },
      body: { participantIds: [ids.a], title: 't' },
    });
    expect(other.status).toBe(201);

    const sendIp = { 'x-test-ip': '198.51.100.7' };
    const senders = await Promise.all([ids.a, ids.b].map((id) => t().token(id)));
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const res = await t().call('POST', `/conversations/${ids.conversationId}/messages`, {
        token: senders[i % 2]!,
        headers: sendIp,
        body: { clientId: randomUUID(), body: `ip ${i}` },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 429, 429]);
  });
});

it('keeps its buckets bounded under attacker-chosen keys (maxKeys per limit)', () => {
  const guard = createRateLimitGuard({ maxKeys: 100 }, { getClientIp: (request) => request.headers.get('x-ip') }, () => 0);
  for (let i = 0; i < 5000; i++) {
    const request = new Request('http://x/', { headers: { 'x-ip': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` } });
    guard.take('write', `user-${i}`, request);
    guard.anonymous(request);
  }
  // Per user and per IP for write, plus anonymous per IP: at most 100 each.
  expect(guard.size()).toBeLessThanOrEqual(300);
});
