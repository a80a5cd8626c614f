import {
  type DeletePushSubscriptionResponse,
  deletePushSubscriptionInputSchema,
  deletePushSubscriptionResponseSchema,
  getNotificationSettingsInputSchema,
  type NotificationSettingsResponse,
  notificationSettingsInputSchema,
  notificationSettingsResponseSchema,
  type PushSubscriptionResponse,
  pushSubscriptionInputSchema,
  pushSubscriptionResponseSchema,
} from '@banter/core/protocol';
import { ApiError } from '../errors/api-error';
import {
  deletePushSubscription,
  getNotificationSettings,
  savePushSubscription,
  updateNotificationSettings,
} from '../notifications/settings';
import { userOf } from './conversation-id';
import { defineOperation } from './types';

/** What every user sets for themself (docs/notifications.md): when they hear of unread messages, and where. */

const settingsHttp = (method: 'GET' | 'PUT') => ({
  method,
  path: '/me/notification-settings',
  input: method === 'GET' ? ('none' as const) : ('json' as const),
  response: notificationSettingsResponseSchema,
  ...(method === 'PUT' ? { errors: ['rate_limited'] } : {}),
});

/** `GET /me/notification-settings`: the caller's own settings as they apply. */
export const getNotificationSettingsOperation = defineOperation({
  name: 'getNotificationSettings',
  summary: "The caller's notification settings: minutes unread before a notification, email and push on or off",
  input: getNotificationSettingsInputSchema,
  actors: ['user', 'host'],
  http: settingsHttp('GET'),
  async run(ctx, actor): Promise<NotificationSettingsResponse> {
    const delay = ctx.state.notifications?.delayMinutes ?? 5;
    const settings = await getNotificationSettings(ctx.state.database.kysely, userOf(actor).id, delay);
    return { settings, vapidPublicKey: ctx.state.notifications?.vapidPublicKey ?? null };
  },
});

/** `PUT /me/notification-settings { delayMinutes?, email?, push? }`. */
export const updateNotificationSettingsOperation = defineOperation({
  name: 'updateNotificationSettings',
  summary: "Change the caller's notification settings (fields left out keep their value; delayMinutes null: the default)",
  input: notificationSettingsInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: settingsHttp('PUT'),
  async run(ctx, actor, input): Promise<NotificationSettingsResponse> {
    const delay = ctx.state.notifications?.delayMinutes ?? 5;
    const settings = await updateNotificationSettings(ctx.state.database.kysely, userOf(actor).id, input, delay);
    return { settings, vapidPublicKey: ctx.state.notifications?.vapidPublicKey ?? null };
  },
});

/** `POST /me/push-subscriptions`: a browser's PushSubscription, for Web Push. */
export const subscribePush = defineOperation({
  name: 'subscribePush',
  summary: "Register a browser's Web Push subscription for the caller (an endpoint of a known push service)",
  input: pushSubscriptionInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: {
    method: 'POST',
    path: '/me/push-subscriptions',
    input: 'json',
    status: () => 201,
    response: pushSubscriptionResponseSchema,
    errors: ['unprocessable', 'rate_limited'],
  },
  async run(ctx, actor, input): Promise<PushSubscriptionResponse> {
    if (!ctx.state.notifications?.allowEndpoint(new URL(input.endpoint))) {
      throw new ApiError('unprocessable', 'unable to register this push endpoint; it is not a push service this server sends to', {
        details: { reason: 'endpoint_not_allowed' },
      });
    }
    return savePushSubscription(ctx.state.database.kysely, userOf(actor).id, input);
  },
});

/** `DELETE /me/push-subscriptions/:subscriptionId`: one of the caller's own. */
export const unsubscribePush = defineOperation({
  name: 'unsubscribePush',
  summary: "Remove one of the caller's push subscriptions (another user's, or none, reads deleted: false)",
  input: deletePushSubscriptionInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: {
    method: 'DELETE',
    path: '/me/push-subscriptions/:subscriptionId',
    input: 'none',
    response: deletePushSubscriptionResponseSchema,
    errors: ['rate_limited'],
  },
  async run(ctx, actor, input): Promise<DeletePushSubscriptionResponse> {
    const deleted = await deletePushSubscription(ctx.state.database.kysely, userOf(actor).id, input.subscriptionId);
    return { subscriptionId: input.subscriptionId, deleted };
  },
});
