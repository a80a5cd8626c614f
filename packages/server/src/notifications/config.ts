import type { NotificationDue } from './scheduler';

/** Email for notifications (nodemailer): docs/notifications.md. */
export interface NotificationEmailOptions {
  /** nodemailer's transport: an SMTP URL (`smtp://user:pass@host:587`) or its options object. */
  transport: string | Record<string, unknown>;
  /** The sender, e.g. `Acme Chat <chat@acme.example>`. */
  from: string;
  /** The user's address; default: the user id itself when it is an email address. null: no email. */
  address?: (userId: string) => string | null | undefined | Promise<string | null | undefined>;
  /** A link to the conversation for the mail's text, e.g. `https://app.example/chat/${conversationId}`. */
  link?: (due: NotificationDue) => string | null | undefined;
}

/** Web Push for notifications (web-push, VAPID): docs/notifications.md. */
export interface NotificationPushOptions {
  vapidPublicKey: string;
  vapidPrivateKey: string;
  /** A `mailto:` or `https:` contact for the push services. */
  subject: string;
  /**
   * Which subscription endpoints users may register (Banter POSTs to them). Default: https on the
   * known push services (FCM, Mozilla, Apple, Windows), so an endpoint cannot point inside your network.
   */
  allowEndpoint?: (url: URL) => boolean;
  /** How long a push service keeps an undelivered push (default 3600 s). */
  ttlSeconds?: number;
}

/** `createChatServer({ notifications })`; absent: BANTER_NOTIFY_* / BANTER_SMTP_URL / BANTER_VAPID_* env. */
export interface NotificationsOption {
  /** Minutes unread before `notification.due` (default 5; each user may choose their own). */
  delayMinutes?: number;
  /** How often the scheduler and the delivery worker look for due work (default 30 s). */
  pollMs?: number;
  email?: NotificationEmailOptions;
  push?: NotificationPushOptions;
  /** Waits between failed email/push attempts; after the last the delivery is dead (default 30 s .. 6 h). */
  retryDelaysMs?: number[];
  /** Attempt timeout for a mail or a push (default 10 s). */
  timeoutMs?: number;
}

export interface NotificationsConfig {
  delayMinutes: number;
  pollMs: number;
  email: NotificationEmailOptions | null;
  push: NotificationPushOptions | null;
  retryDelaysMs: number[];
  timeoutMs: number;
}

export const DEFAULT_NOTIFY_RETRY_MS = [30e3, 120e3, 600e3, 3600e3, 6 * 3600e3];
export const MAX_DELAY_MINUTES = 10_080;

const PUSH_SERVICES = [
  /(^|\.)googleapis\.com$/,
  /(^|\.)push\.services\.mozilla\.com$/,
  /(^|\.)push\.apple\.com$/,
  /(^|\.)notify\.windows\.com$/,
];

/** The default `allowEndpoint`: https on a known push service. */
export const knownPushService = (url: URL) => url.protocol === 'https:' && PUSH_SERVICES.some((host) => host.test(url.hostname));

/**
 * The notifications option, else the environment: BANTER_NOTIFY_DELAY_MINUTES, BANTER_SMTP_URL with
 * BANTER_EMAIL_FROM, BANTER_VAPID_PUBLIC_KEY / BANTER_VAPID_PRIVATE_KEY / BANTER_VAPID_SUBJECT.
 *
 * @example
 * notificationsConfig({ delayMinutes: 10 }, process.env);
 */
export function notificationsConfig(option: NotificationsOption | undefined, env: Record<string, string | undefined>): NotificationsConfig {
  const fromEnv: NotificationsOption = {
    ...(env.BANTER_NOTIFY_DELAY_MINUTES ? { delayMinutes: Number(env.BANTER_NOTIFY_DELAY_MINUTES) } : {}),
    ...(env.BANTER_SMTP_URL && env.BANTER_EMAIL_FROM ? { email: { transport: env.BANTER_SMTP_URL, from: env.BANTER_EMAIL_FROM } } : {}),
    ...(env.BANTER_VAPID_PUBLIC_KEY && env.BANTER_VAPID_PRIVATE_KEY && env.BANTER_VAPID_SUBJECT
      ? {
          push: {
            vapidPublicKey: env.BANTER_VAPID_PUBLIC_KEY,
            vapidPrivateKey: env.BANTER_VAPID_PRIVATE_KEY,
            subject: env.BANTER_VAPID_SUBJECT,
          },
        }
      : {}),
  };
  const o = option ?? fromEnv;
  const delayMinutes = o.delayMinutes ?? 5;
  if (!Number.isInteger(delayMinutes) || delayMinutes < 0 || delayMinutes > MAX_DELAY_MINUTES) {
    throw new TypeError(`banter: notifications.delayMinutes must be an integer from 0 to ${MAX_DELAY_MINUTES}`);
  }
  if (o.email && (!o.email.transport || typeof o.email.from !== 'string' || !o.email.from)) {
    throw new TypeError('banter: notifications.email needs a transport and a from address');
  }
  if (o.push && !(o.push.vapidPublicKey && o.push.vapidPrivateKey && /^(mailto:|https:)/.test(o.push.subject ?? ''))) {
    throw new TypeError('banter: notifications.push needs vapidPublicKey, vapidPrivateKey and a mailto: or https: subject');
  }
  return {
    delayMinutes,
    pollMs: o.pollMs ?? 30_000,
    email: o.email ?? null,
    push: o.push ?? null,
    retryDelaysMs: o.retryDelaysMs ?? DEFAULT_NOTIFY_RETRY_MS,
    timeoutMs: o.timeoutMs ?? 10_000,
  };
}
