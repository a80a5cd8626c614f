import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';
import type { NotificationsOption } from './config';
import { listFailedNotifications, notificationQueue, retryFailedNotifications } from './failed';

const minutes = (n: number) => new Date(Date.now() + n * 60_000);

describeEachDatabase('notifications: the delivery queue, its dead letters and metrics', (target) => {
  let smtp: SMTPServer;
  // The real SMTP server refuses mail while this is set (a 5xx after DATA: a failed attempt).
  let refuse = false;
  let accepted = 0;
  const notifications: NotificationsOption = { delayMinutes: 5, retryDelaysMs: [60_000] };
  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => {
          if (refuse) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
          accepted++;
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    notifications.email = {
      transport: { host: '127.0.0.1', port, secure: false, ignoreTLS: true },
      from: 'Banter <chat@banter.test>',
      address: (userId) => `${userId}@mail.test`,
    };
  });
  const t = useTestServer(target, { rateLimits: false, notifications });
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  });
  const send = (from: string, conversationId: string, body: string) =>
    t().server.api.sendMessage({ senderId: from, conversationId, clientId: randomUUID(), body });
  const metric = async (line: string) => (await t().server.registry.metrics()).split('\n').find((l) => l.startsWith(`${line} `));

  it('counts sent, failed and dead by channel; a dead email is listed with its last error and requeued by id', async () => {
    const [alice, bob, carol] = [t().userId('q-a'), t().userId('q-b'), t().userId('q-c')];
    const one = (await t().server.api.createConversation({ createdBy: bob, participantIds: [alice] })).conversation.id;
    await send(bob, one, 'hello');
    expect(await t().server.notifications.runDue(minutes(6))).toBe(1);
    expect((await notificationQueue(t().server.db.kysely, minutes(6))).email).toEqual({
      pending: 1,
      dead: 0,
      oldestPendingAgeMs: expect.any(Number),
    });
    expect(await t().server.notifications.deliverDue(minutes(6))).toBe(1);
    expect(accepted).toBe(1);

    refuse = true;
    const two = (await t().server.api.createConversation({ createdBy: bob, participantIds: [carol] })).conversation.id;
    await send(bob, two, 'are you there?');
    expect(await t().server.notifications.runDue(minutes(6))).toBe(1);
    expect(await t().server.notifications.deliverDue(minutes(6))).toBe(0); // failed, retried in ~1 min
    expect(await t().server.notifications.deliverDue(minutes(8))).toBe(0); // its last attempt: dead
    const queue = await notificationQueue(t().server.db.kysely);
    expect([queue.email.pending, queue.email.dead, queue.push]).toEqual([0, 1, { pending: 0, dead: 0, oldestPendingAgeMs: 0 }]);
    const failed = await listFailedNotifications(t().server.db.kysely);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ userId: carol, channel: 'email', conversationId: two, attempts: 2 });
    expect(failed[0]!.lastError).toMatch(/550|mailbox unavailable/);

    expect(await metric('banter_notifications_due_total')).toBe('banter_notifications_due_total 2');
    expect(await metric('banter_notifications_sent_total{channel="email"}')).toMatch(/ 1$/);
    expect(await metric('banter_notifications_failed_total{channel="email"}')).toMatch(/ 2$/);
    expect(await metric('banter_notifications_dead_letters_total{channel="email"}')).toMatch(/ 1$/);
    expect(await metric('banter_notifications_dead{channel="email"}')).toMatch(/ 1$/);
    expect(await metric('banter_notifications_pending{channel="push"}')).toMatch(/ 0$/);

    await expect(retryFailedNotifications(t().server.db.kysely, { id: 'nope' })).rejects.toThrow(/invalid notification delivery id/);
    expect(await retryFailedNotifications(t().server.db.kysely, { id: randomUUID() })).toBe(0);
    refuse = false;
    expect(await retryFailedNotifications(t().server.db.kysely, { id: failed[0]!.id })).toBe(1);
    expect(await t().server.notifications.deliverDue(minutes(8))).toBe(1);
    expect(await listFailedNotifications(t().server.db.kysely)).toEqual([]);
    expect(await metric('banter_notifications_sent_total{channel="email"}')).toMatch(/ 2$/);
  });
});
