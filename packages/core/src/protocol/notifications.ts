import { z } from 'zod';

/** Notifications for people who are away (issue 16; docs/notifications.md). */
export const NOTIFICATION_LIMITS = {
  /** Longest delay a user may choose (a week), in minutes. */
  delayMinutesMax: 10_080,
  /** Characters in a push subscription's endpoint URL. */
  endpointLength: 1024,
  /** Push subscriptions kept per user; a new one beyond this replaces the oldest. */
  subscriptionsPerUser: 10,
} as const;

/** `PUT /me/notification-settings`: fields left out keep their value; `delayMinutes: null` is the server's default. */
export const notificationSettingsInputSchema = z.strictObject({
  delayMinutes: z.number().int().min(1).max(NOTIFICATION_LIMITS.delayMinutesMax).nullable().optional(),
  email: z.boolean().optional(),
  push: z.boolean().optional(),
});
export type NotificationSettingsInput = z.infer<typeof notificationSettingsInputSchema>;
export const getNotificationSettingsInputSchema = z.strictObject({});

/** A user's notification settings as they apply (the server's default delay where they chose none). */
export interface NotificationSettings {
  delayMinutes: number;
  /** True when `delayMinutes` is the server's default. */
  defaultDelay: boolean;
  email: boolean;
  push: boolean;
}
export interface NotificationSettingsResponse {
  settings: NotificationSettings;
  /** The server's VAPID public key for `pushManager.subscribe` (null: Web Push is not configured). */
  vapidPublicKey: string | null;
}

const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+=*$/, 'must be base64url');

/** `POST /me/push-subscriptions`: a browser's `PushSubscription.toJSON()`. */
export const pushSubscriptionInputSchema = z.strictObject({
  endpoint: z.url({ protocol: /^https?$/ }).max(NOTIFICATION_LIMITS.endpointLength),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({ p256dh: base64url(128), auth: base64url(64) }),
});
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionInputSchema>;

/** `DELETE /me/push-subscriptions/:subscriptionId`. */
export const deletePushSubscriptionInputSchema = z.strictObject({ subscriptionId: z.string().min(1).max(100) });

export interface PushSubscriptionResponse {
  subscription: { id: string; endpoint: string; createdAt: string };
}
export interface DeletePushSubscriptionResponse {
  subscriptionId: string;
  deleted: boolean;
}

// Success bodies of the notification routes (the OpenAPI reads them).
export const notificationSettingsResponseSchema = z.object({
  settings: z.object({ delayMinutes: z.number().int(), defaultDelay: z.boolean(), email: z.boolean(), push: z.boolean() }),
  vapidPublicKey: z.string().nullable(),
}) satisfies z.ZodType<NotificationSettingsResponse>;
export const pushSubscriptionResponseSchema = z.object({
  subscription: z.object({ id: z.string(), endpoint: z.string(), createdAt: z.string() }),
}) satisfies z.ZodType<PushSubscriptionResponse>;
export const deletePushSubscriptionResponseSchema = z.object({
  subscriptionId: z.string(),
  deleted: z.boolean(),
}) satisfies z.ZodType<DeletePushSubscriptionResponse>;

/**
 * What a Web Push from the server carries (at most 4 kB encrypted): enough for the service worker
 * (@banter/widget's banter-sw.js) to show a notification. `title` is the latest sender, `body` the
 * latest preview: user text, to show as text.
 */
export interface NotificationPush {
  type: 'notification.due';
  conversationId: string;
  unreadCount: number;
  lastSeq: number;
  title: string;
  body: string;
}
