import type {
  NotificationSettings,
  NotificationSettingsInput,
  NotificationSettingsResponse,
  PushSubscriptionInput,
  PushSubscriptionResponse,
} from '../protocol/notifications';
import { callOf, createHttp, type HttpApi, type HttpOptions } from '../http';

/** `createChatNotifications(...)`: the user's own notification settings and Web Push subscriptions (docs/notifications.md). */
export interface ClientNotifications {
  /** The settings as they apply, and the server's VAPID public key (null: no Web Push). */
  getSettings(): Promise<NotificationSettingsResponse>;
  /** Change some settings (fields left out keep their value; `delayMinutes: null` is the default). */
  updateSettings(settings: NotificationSettingsInput): Promise<NotificationSettings>;
  /** Register a browser's `PushSubscription` (pass it or its `toJSON()`); registering again is no error. */
  subscribePush(subscription: PushSubscriptionInput | { toJSON(): unknown }): Promise<PushSubscriptionResponse['subscription']>;
  /** Forget one subscription by the id `subscribePush` answered; true when it was the user's. */
  unsubscribePush(subscriptionId: string): Promise<boolean>;
}

/**
 * The notification calls for the signed-in user, over the same options as `createChatClient` (or an
 * `HttpApi`). A separate entry, not part of `createChatClient`: the settings page and the service
 * worker set-up need it, the chat UI does not pay for it.
 *
 * @example
 * const notifications = createChatNotifications({ url: 'https://host.example/api', getToken });
 * const { vapidPublicKey } = await notifications.getSettings();
 * const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: vapidPublicKey });
 * await notifications.subscribePush(subscription);
 */
export function createChatNotifications(options: HttpOptions | { http: HttpApi }): ClientNotifications {
  const http = 'http' in options ? options.http : createHttp(options);
  const call = callOf(http, 'createChatNotifications');
  return {
    getSettings: () => call('GET', '/me/notification-settings'),
    updateSettings: async (settings) => (await call<NotificationSettingsResponse>('PUT', '/me/notification-settings', settings)).settings,
    async subscribePush(subscription) {
      const json = 'toJSON' in subscription && typeof subscription.toJSON === 'function' ? subscription.toJSON() : subscription;
      return (await call<PushSubscriptionResponse>('POST', '/me/push-subscriptions', json)).subscription;
    },
    unsubscribePush: async (id) => (await call<{ deleted: boolean }>('DELETE', `/me/push-subscriptions/${encodeURIComponent(id)}`)).deleted,
  };
}
