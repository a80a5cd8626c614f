import { databaseTargets } from '@banter/server/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { useChatStack } from '../test/chat-stack';
import { type ClientNotifications, createChatNotifications } from './features/notifications';

// Issue 16: createChatNotifications (settings, push subscriptions) against the real server.
for (const target of databaseTargets()) {
  describe(`createChatNotifications with the real server (${target.name})`, () => {
    const stack = useChatStack(target);
    let alice: { notifications: ClientNotifications };
    beforeAll(async () => {
      alice = { notifications: createChatNotifications({ url: stack.url, token: await stack.token(stack.userId('cn-a')) }) };
    });

    it('reads and changes the settings, registers and removes a push subscription', async () => {
      const first = await alice.notifications.getSettings();
      expect(first.settings).toMatchObject({ defaultDelay: true, email: true, push: true });
      expect(await alice.notifications.updateSettings({ delayMinutes: 20, email: false })).toMatchObject({
        delayMinutes: 20,
        defaultDelay: false,
        email: false,
        push: true,
      });
      // What a browser's PushSubscription gives: an object with toJSON().
      const browser = {
        toJSON: () => ({
          endpoint: 'https://fcm.googleapis.com/fcm/send/cn-a',
          expirationTime: null,
          keys: { p256dh: 'BNcR', auth: 'tBHI' },
        }),
      };
      const subscription = await alice.notifications.subscribePush(browser);
      expect(subscription.endpoint).toBe('https://fcm.googleapis.com/fcm/send/cn-a');
      expect(await alice.notifications.unsubscribePush(subscription.id)).toBe(true);
      expect(await alice.notifications.unsubscribePush(subscription.id)).toBe(false);
      await expect(alice.notifications.updateSettings({ delayMinutes: 0 })).rejects.toMatchObject({ code: 'validation_failed' });
    });
  });
}
