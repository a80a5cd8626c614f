import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

const subscription = (endpoint: string) => ({
  endpoint,
  expirationTime: null,
  keys: {
    p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
    auth: 'tBHItJI5svbpez7KI4CCXg',
  },
});

describeEachDatabase('notifications: settings and push subscriptions', (target) => {
  const t = useTestServer(target, { rateLimits: false, notifications: { delayMinutes: 7 } });
  let alice: string;
  let bob: string;
  let tokens: { alice: string; bob: string };
  beforeAll(async () => {
    [alice, bob] = [t().userId('ns-a'), t().userId('ns-b')];
    tokens = { alice: await t().token(alice), bob: await t().token(bob) };
  });

  it('reads the defaults, changes only what a PUT names, and each user only their own', async () => {
    const first = await t().call('GET', '/me/notification-settings', { token: tokens.alice });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ settings: { delayMinutes: 7, defaultDelay: true, email: true, push: true }, vapidPublicKey: null });
    const put = await t().call('PUT', '/me/notification-settings', { token: tokens.alice, body: { delayMinutes: 30, push: false } });
    expect(put.body.settings).toEqual({ delayMinutes: 30, defaultDelay: false, email: true, push: false });
    const again = await t().call('PUT', '/me/notification-settings', { token: tokens.alice, body: { email: false } });
    expect(again.body.settings).toEqual({ delayMinutes: 30, defaultDelay: false, email: false, push: false });
    // Bob's settings are his: alice's change is not his, and his is not hers.
    expect((await t().call('GET', '/me/notification-settings', { token: tokens.bob })).body.settings.delayMinutes).toBe(7);
    await t().call('PUT', '/me/notification-settings', { token: tokens.bob, body: { delayMinutes: 1 } });
    expect((await t().call('GET', '/me/notification-settings', { token: tokens.alice })).body.settings.delayMinutes).toBe(30);
    const reset = await t().call('PUT', '/me/notification-settings', { token: tokens.alice, body: { delayMinutes: null } });
    expect(reset.body.settings).toMatchObject({ delayMinutes: 7, defaultDelay: true });
    expect((await t().call('GET', '/me/notification-settings')).status).toBe(401);
  });

  it('refuses bad settings with 400', async () => {
    for (const body of [{ delayMinutes: 0 }, { delayMinutes: 10_081 }, { delayMinutes: 1.5 }, { email: 'yes' }, { userId: bob }, []]) {
      const answer = await t().call('PUT', '/me/notification-settings', { token: tokens.alice, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error.code).toBe('validation_failed');
    }
  });

  it('registers a push subscription once per endpoint; only its owner removes it', async () => {
    const endpoint = 'https://fcm.googleapis.com/fcm/send/abc:def';
    const created = await t().call('POST', '/me/push-subscriptions', { token: tokens.alice, body: subscription(endpoint) });
    expect(created.status).toBe(201);
    expect(created.body.subscription).toMatchObject({ endpoint });
    const id = created.body.subscription.id as string;
    const repeat = await t().call('POST', '/me/push-subscriptions', { token: tokens.alice, body: subscription(endpoint) });
    expect(repeat.body.subscription.id).toBe(id);

    const notHis = await t().call('DELETE', `/me/push-subscriptions/${id}`, { token: tokens.bob });
    expect(notHis.body).toEqual({ subscriptionId: id, deleted: false });
    const rows = () =>
      t().server.db.kysely.selectFrom('push_subscriptions').select(['id', 'user_id']).where('endpoint', '=', endpoint).execute();
    expect(await rows()).toEqual([{ id, user_id: alice }]);
    expect((await t().call('DELETE', `/me/push-subscriptions/not-a-uuid`, { token: tokens.alice })).body.deleted).toBe(false);
    expect((await t().call('DELETE', `/me/push-subscriptions/${id}`, { token: tokens.alice })).body).toEqual({
      subscriptionId: id,
      deleted: true,
    });
    expect(await rows()).toEqual([]);
  });

  it('keeps at most 10 subscriptions a user, the newest', async () => {
    for (let i = 0; i < 12; i++) {
      const body = subscription(`https://updates.push.services.mozilla.com/wpush/v2/${bob}-${i}`);
      expect((await t().call('POST', '/me/push-subscriptions', { token: tokens.bob, body })).status).toBe(201);
    }
    const kept = await t().server.db.kysely.selectFrom('push_subscriptions').select('endpoint').where('user_id', '=', bob).execute();
    expect(kept).toHaveLength(10);
    expect(kept.map((k) => k.endpoint)).not.toContain(`https://updates.push.services.mozilla.com/wpush/v2/${bob}-0`);
  });

  it('refuses endpoints outside the push services (422) and malformed subscriptions (400)', async () => {
    for (const endpoint of [
      'https://169.254.169.254/latest',
      'http://fcm.googleapis.com/fcm/send/x',
      'https://evil.example/googleapis.com',
    ]) {
      const answer = await t().call('POST', '/me/push-subscriptions', { token: tokens.alice, body: subscription(endpoint) });
      expect(answer.status, endpoint).toBe(422);
      expect(answer.body.error.details).toEqual({ reason: 'endpoint_not_allowed' });
    }
    const good = subscription('https://fcm.googleapis.com/fcm/send/x');
    for (const body of [
      { ...good, endpoint: 'javascript:alert(1)' },
      { ...good, endpoint: `https://fcm.googleapis.com/${'x'.repeat(1100)}` },
      { ...good, keys: { p256dh: 'a b', auth: 'x' } },
      { ...good, keys: { p256dh: 'x'.repeat(200), auth: 'x' } },
      { ...good, keys: {} },
      { ...good, extra: 1 },
    ]) {
      const answer = await t().call('POST', '/me/push-subscriptions', { token: tokens.alice, body });
      expect(answer.status, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
  });
});
