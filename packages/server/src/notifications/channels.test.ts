import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { globalAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import webpush from 'web-push';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { PUSH_SERVICE_CERT, type PushService, startPushService } from '../../test/kit/push-service';
import { useTestServer } from '../../test/kit/test-server';
import type { NotificationsOption } from './config';

interface Mail {
  from: string;
  to: string[];
  raw: string;
}

const minutes = (n: number) => new Date(Date.now() + n * 60_000);
// A browser's subscription keys: a P-256 public key and a 16-byte auth secret (base64url).
const browserKeys = () => ({
  p256dh: createECDH('prime256v1').generateKeys().toString('base64url'),
  auth: randomBytes(16).toString('base64url'),
});

describeEachDatabase('notifications: email (real SMTP server) and Web Push (real HTTPS push service)', (target) => {
  const mails: Mail[] = [];
  let smtp: SMTPServer;
  let push: PushService;
  const vapid = webpush.generateVAPIDKeys();
  // Filled in before the server starts (useTestServer's beforeAll runs after this file's first one).
  const notifications: NotificationsOption = { delayMinutes: 5, retryDelaysMs: [60_000] };
  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const envelope = session.envelope;
          mails.push({
            from: envelope.mailFrom ? envelope.mailFrom.address : '',
            to: envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    push = await startPushService();
    // web-push speaks https only: trust the stand-in push service's self-signed certificate.
    globalAgent.options.ca = PUSH_SERVICE_CERT;
    notifications.email = {
      transport: { host: '127.0.0.1', port, secure: false, ignoreTLS: true },
      from: 'Banter <chat@banter.test>',
      address: (userId) => `${userId}@mail.test`,
      link: (due) => `https://app.test/chat/${due.conversationId}`,
    };
    notifications.push = {
      vapidPublicKey: vapid.publicKey,
      vapidPrivateKey: vapid.privateKey,
      subject: 'mailto:ops@banter.test',
      allowEndpoint: (url) => url.protocol === 'https:' && url.hostname === '127.0.0.1',
    };
  });
  const t = useTestServer(target, { rateLimits: false, notifications });
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
    await push?.close();
  });
  const send = (from: string, conversationId: string, body: string) =>
    t().server.api.sendMessage({ senderId: from, conversationId, clientId: randomUUID(), body });

  it('one mail and one push per batch, plain text, VAPID-signed and encrypted; a 410 removes the subscription', async () => {
    const [alice, bob] = [t().userId('ch-a'), t().userId('ch-b')];
    const token = await t().token(alice);
    const { id } = (await t().server.api.createConversation({ createdBy: bob, participantIds: [alice], title: 'Team <b>room</b>' }))
      .conversation;
    const subscribed = await t().call('POST', '/me/push-subscriptions', {
      token,
      body: { endpoint: push.endpoint(alice), keys: browserKeys() },
    });
    expect(subscribed.status).toBe(201);
    expect((await t().call('GET', '/me/notification-settings', { token })).body.vapidPublicKey).toBe(vapid.publicKey);
    const [mailsBefore, pushesBefore] = [mails.length, push.received.length];

    await send(bob, id, 'first');
    await send(bob, id, '<script>alert(1)</script> & <img src=x onerror=alert(2)>');
    expect(await t().server.notifications.runDue(minutes(6))).toBe(1);
    expect(await t().server.notifications.deliverDue(minutes(6))).toBe(2);
    // Nothing more for the same batch.
    expect(await t().server.notifications.runDue(minutes(7))).toBe(0);
    expect(await t().server.notifications.deliverDue(minutes(7))).toBe(0);

    const mine = mails.slice(mailsBefore);
    expect(mine).toHaveLength(1);
    const mail = mine[0]!;
    expect(mail.from).toBe('chat@banter.test');
    expect(mail.to).toEqual([`${alice}@mail.test`]);
    expect(mail.raw).toMatch(/^Subject: 2 unread messages in Team <b>room<\/b>\r?$/m);
    expect(mail.raw).toMatch(/^Content-Type: text\/plain/im);
    expect(mail.raw).not.toMatch(/text\/html/i);
    expect(mail.raw).toContain('<script>alert(1)</script> & <img src=x onerror=alert(2)>');
    expect(mail.raw).toContain(`https://app.test/chat/${id}`);

    const pushes = push.received.slice(pushesBefore);
    expect(pushes).toHaveLength(1);
    const request = pushes[0]!;
    expect(request.path).toBe(`/push/${alice}`);
    expect(request.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=/);
    expect(request.headers.authorization).toContain(`k=${vapid.publicKey}`);
    expect(request.headers['content-encoding']).toBe('aes128gcm');
    expect(request.headers.ttl).toBe('3600');
    expect(request.body.length).toBeGreaterThan(100);
    expect(request.body.toString('latin1')).not.toContain('script');

    // The browser dropped the subscription: the push service answers 410 and Banter forgets it.
    push.respond.status = 410;
    await send(bob, id, 'third');
    expect(await t().server.notifications.runDue(minutes(12))).toBe(1);
    await t().server.notifications.deliverDue(minutes(12));
    push.respond.status = 201;
    const left = await t().server.db.kysely.selectFrom('push_subscriptions').select('id').where('user_id', '=', alice).execute();
    expect(left).toEqual([]);
    expect(mails.slice(mailsBefore)).toHaveLength(2);
    expect(mails.at(-1)!.raw).toMatch(/^Subject: 3 unread messages in Team <b>room<\/b>\r?$/m);
  });

  it('a failed push is retried after its backoff, without holding chat; a user without email gets none', async () => {
    const [carol, dave] = [t().userId('ch-c'), t().userId('ch-d')];
    const token = await t().token(carol);
    await t().call('PUT', '/me/notification-settings', { token, body: { email: false } });
    await t().call('POST', '/me/push-subscriptions', { token, body: { endpoint: push.endpoint(carol), keys: browserKeys() } });
    const { id } = (await t().server.api.createConversation({ createdBy: dave, participantIds: [carol] })).conversation;
    const [mailsBefore, pushesBefore] = [mails.length, push.received.length];
    push.respond.status = 503;
    await send(dave, id, 'are you there?');
    expect(await t().server.notifications.runDue(minutes(6))).toBe(1);
    expect(await t().server.notifications.deliverDue(minutes(6))).toBe(0);
    // Chat goes on while the push waits.
    expect((await send(dave, id, 'still here')).created).toBe(true);
    const waiting = await t()
      .server.db.kysely.selectFrom('notification_deliveries')
      .select(['channel', 'attempts', 'last_error', 'dead_at'])
      .where('user_id', '=', carol)
      .execute();
    expect(waiting).toEqual([{ channel: 'push', attempts: 1, last_error: 'push service answered 503', dead_at: null }]);
    push.respond.status = 201;
    expect(await t().server.notifications.deliverDue(minutes(6.5))).toBe(0);
    expect(await t().server.notifications.deliverDue(minutes(8))).toBe(1);
    expect(push.received.slice(pushesBefore).map((r) => r.path)).toEqual([`/push/${carol}`, `/push/${carol}`]);
    expect(mails.length).toBe(mailsBefore);
  });

  it('erasing the sender removes the pending emails and pushes that quote them', async () => {
    const [erin, frank] = [t().userId('ch-e'), t().userId('ch-f')];
    const { id } = (await t().server.api.createConversation({ createdBy: frank, participantIds: [erin] })).conversation;
    await send(frank, id, 'my secret');
    // (The earlier test's second message is due for carol in this round too.)
    expect(await t().server.notifications.runDue(minutes(6))).toBeGreaterThanOrEqual(1);
    const pending = () => t().server.db.kysely.selectFrom('notification_deliveries').select('id').where('user_id', '=', erin).execute();
    expect(await pending()).toHaveLength(1);
    await t().server.api.eraseUser(frank);
    expect(await pending()).toEqual([]);
    expect((await t().server.api.verifyErasure(frank)).rows).toEqual([]);
  });
});
