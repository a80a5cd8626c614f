import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';
import type { BeforeSendMessage } from './before-send';

describeEachDatabase('moderation: beforeSend and slow mode', (target) => {
  const seen: BeforeSendMessage[] = [];
  const t = useTestServer(target, {
    rateLimits: false,
    beforeSend(message) {
      seen.push(message);
      if (message.body.includes('http://')) return { reject: 'links are not allowed here' };
      if (message.body.includes('darn')) return { body: message.body.replaceAll('darn', '****') };
      if (message.body === 'blank me') return { body: '  ' };
      if (message.body === 'grow me') return { body: 'x'.repeat(5000) };
      return undefined;
    },
  });
  let alice: string;
  let bob: string;
  let tokens: Record<'alice' | 'bob' | 'carol' | 'dave', string>;
  let carol: string;
  let group: string;
  const send = (token: string, body: string, clientId: string = randomUUID()) =>
    t().call('POST', `/conversations/${group}/messages`, { token, body: { clientId, body } });

  beforeAll(async () => {
    [alice, bob, carol] = [t().userId('bs-a'), t().userId('bs-b'), t().userId('bs-c')];
    const dave = t().userId('bs-d');
    tokens = { alice: await t().token(alice), bob: await t().token(bob), carol: await t().token(carol), dave: await t().token(dave) };
    const participantIds = [bob, carol, dave];
    group = (await t().server.api.createConversation({ createdBy: alice, participantIds, title: 'g' })).conversation.id;
  });

  it('beforeSend rejects with its reason (422), rewrites (stored and re-validated), and runs on edits', async () => {
    const before = Number(
      (
        await t()
          .server.db.kysely.selectFrom('messages')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const rejected = await send(tokens.bob, 'see http://spam.example');
    expect(rejected.status).toBe(422);
    expect(rejected.body.error).toMatchObject({
      code: 'unprocessable',
      details: { reason: 'rejected', message: 'links are not allowed here' },
    });
    expect(rejected.body.error.message).toContain('links are not allowed here');
    const rewritten = await send(tokens.bob, 'oh darn');
    expect(rewritten.status).toBe(201);
    expect(rewritten.body.message.body).toBe('oh ****');
    expect((await send(tokens.bob, 'blank me')).status).toBe(400);
    expect((await send(tokens.bob, 'grow me')).status).toBe(400);
    const after = Number(
      (
        await t()
          .server.db.kysely.selectFrom('messages')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    expect(after).toBe(before + 1);
    expect(seen.at(-1)).toMatchObject({ kind: 'send', conversationId: group, senderId: bob, via: 'http' });

    const edit = await t().call('PATCH', `/conversations/${group}/messages/${rewritten.body.message.id}`, {
      token: tokens.bob,
      body: { body: 'darn again' },
    });
    expect(edit.status).toBe(200);
    expect(edit.body.message.body).toBe('**** again');
    expect(seen.at(-1)).toMatchObject({ kind: 'edit', senderId: bob });
    const refusedEdit = await t().call('PATCH', `/conversations/${group}/messages/${rewritten.body.message.id}`, {
      token: tokens.bob,
      body: { body: 'http://x' },
    });
    expect(refusedEdit.status).toBe(422);
    // The host's own sends go through it as well.
    await expect(t().server.api.sendMessage({ conversationId: group, senderId: alice, body: 'http://x' })).rejects.toMatchObject({
      code: 'unprocessable',
    });
  });

  it('slow mode: one message per N seconds per member, 429 with Retry-After; the admin and the host are exempt', async () => {
    const set = await t().call('PUT', `/conversations/${group}/slow-mode`, { token: tokens.alice, body: { seconds: 30 } });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ conversationId: group, slowModeSeconds: 30 });
    expect((await t().call('GET', `/conversations/${group}`, { token: tokens.bob })).body.conversation.slowModeSeconds).toBe(30);

    const clientId = randomUUID();
    expect((await send(tokens.carol, 'first', clientId)).status).toBe(201);
    const slowed = await send(tokens.carol, 'second');
    expect(slowed.status).toBe(429);
    expect(slowed.body.error).toMatchObject({ code: 'rate_limited', details: { reason: 'slow_mode', slowModeSeconds: 30 } });
    const retryAfter = Number(slowed.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(25);
    expect(retryAfter).toBeLessThanOrEqual(30);
    // (carol had sent nothing before.) A retry of the stored send is no new message: it answers the first (200).
    expect((await send(tokens.carol, 'first', clientId)).status).toBe(200);
    // The admin (the creator, until roles exist) and the host are exempt.
    expect((await send(tokens.alice, 'admin 1')).status).toBe(201);
    expect((await send(tokens.alice, 'admin 2')).status).toBe(201);
    expect((await t().server.api.sendMessage({ conversationId: group, senderId: carol, body: 'via host' })).created).toBe(true);

    // A member may not set it; bad values are 400; 0 turns it off.
    expect((await t().call('PUT', `/conversations/${group}/slow-mode`, { token: tokens.bob, body: { seconds: 1 } })).status).toBe(403);
    expect((await t().call('PUT', `/conversations/${group}/slow-mode`, { token: tokens.alice, body: { seconds: -1 } })).status).toBe(400);
    expect((await t().call('PUT', `/conversations/${group}/slow-mode`, { token: tokens.alice, body: { seconds: 86_401 } })).status).toBe(
      400,
    );
    expect((await t().call('PUT', `/conversations/${group}/slow-mode`, { token: tokens.alice, body: { seconds: 'x' } })).status).toBe(400);
    await t().server.api.setSlowMode(group, 0);
    expect((await send(tokens.carol, 'free again')).status).toBe(201);
  });

  it('slow mode lets the next message through once the seconds passed', async () => {
    await t().server.api.setSlowMode(group, 1);
    expect((await send(tokens.dave, 'a')).status).toBe(201);
    expect((await send(tokens.dave, 'b')).status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await send(tokens.dave, 'c')).status).toBe(201);
    await t().server.api.setSlowMode(group, 0);
  });
});
