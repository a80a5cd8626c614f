import { createHash } from 'node:crypto';
import { secretKey } from './signature';

/** One of the host's webhook endpoints. URLs come from the host's config, never from users. */
export interface WebhookEndpointOptions {
  /** Where Banter POSTs (http or https). */
  url: string;
  /** Event names to send, e.g. `['message.created', 'notification.due']`; `['*']`: every event. */
  events: string[];
  /** A Standard Webhooks secret (`whsec_...`). */
  secret?: string;
  /** Several secrets while rotating: every attempt is signed with each. */
  secrets?: string[];
  /** A stable name for the endpoint (default: derived from the URL); deliveries are kept per id. */
  id?: string;
}

/** Delivery tuning (docs/webhooks.md). */
export interface WebhookDeliveryOptions {
  /** Per attempt (default 10 s): a slower endpoint counts as failed and is retried. */
  timeoutMs?: number;
  /** Waits between attempts; after the last one the delivery is dead (default: 5 s doubling to ~17 h in all). */
  retryDelaysMs?: number[];
  /** Attempts in flight at once in this process (default 8). */
  concurrency?: number;
  /** Poll for due deliveries this often (default 1 s; a commit wakes the worker at once). */
  pollMs?: number;
  /** Keep delivered rows and their attempt log this long (default 72 h), then prune. */
  keepDeliveredHours?: number;
}

export type WebhooksOption = WebhookEndpointOptions[] | ({ endpoints: WebhookEndpointOptions[] } & WebhookDeliveryOptions);

/** An endpoint after validation. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  secrets: string[];
}

// 5 s, then ×3 up to 4 h: 5s 15s 45s 2m15 ~7m ~20m 1h 3h 4h 4h 4h: about 17 hours before a dead letter.
export const DEFAULT_RETRY_DELAYS_MS = [5e3, 15e3, 45e3, 135e3, 405e3, 1215e3, 3645e3, 10935e3, 14400e3, 14400e3, 14400e3];

const EVENT = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*)$/;

/**
 * Validate the host's endpoints: an http(s) URL, at least one event name, at least one `whsec_` secret.
 *
 * @example
 * normalizeEndpoints([{ url: 'https://host.example/hooks', events: ['*'], secret: process.env.BANTER_WEBHOOK_SECRET }]);
 */
export function normalizeEndpoints(option: WebhooksOption | undefined): { endpoints: WebhookEndpoint[]; delivery: WebhookDeliveryOptions } {
  if (!option) return { endpoints: [], delivery: {} };
  const { endpoints: list, ...delivery } = Array.isArray(option) ? { endpoints: option } : option;
  if (!Array.isArray(list)) throw new TypeError('banter: webhooks.endpoints must be an array');
  const endpoints = list.map((endpoint, index) => {
    const where = `banter: webhooks[${index}]`;
    let url: URL;
    try {
      url = new URL(endpoint.url);
    } catch {
      throw new TypeError(`${where}.url must be an absolute http(s) URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`${where}.url must be http or https`);
    const events = endpoint.events;
    if (
      !Array.isArray(events) ||
      events.length === 0 ||
      events.length > 100 ||
      !events.every((e) => typeof e === 'string' && EVENT.test(e))
    ) {
      throw new TypeError(`${where}.events must list event names such as "message.created", or "*"`);
    }
    const secrets = [...(endpoint.secrets ?? []), ...(endpoint.secret ? [endpoint.secret] : [])];
    if (secrets.length === 0) throw new TypeError(`${where} needs a secret ("whsec_...")`);
    for (const secret of secrets) secretKey(secret);
    const id = endpoint.id ?? `ep_${createHash('sha256').update(url.href).digest('hex').slice(0, 16)}`;
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(id)) throw new TypeError(`${where}.id must be 1-64 letters, digits, "_", "." or "-"`);
    return { id, url: url.href, events: [...new Set(events)], secrets };
  });
  if (new Set(endpoints.map((e) => e.id)).size !== endpoints.length) throw new TypeError('banter: two webhooks share an id (or a URL)');
  return { endpoints, delivery };
}

/**
 * One endpoint from the environment: BANTER_WEBHOOK_URL, BANTER_WEBHOOK_SECRET (several, separated
 * by spaces or commas, while rotating) and BANTER_WEBHOOK_EVENTS (comma-separated; default `*`).
 *
 * @example
 * webhooksFromEnv(process.env); // [] when BANTER_WEBHOOK_URL is not set
 */
export function webhooksFromEnv(env: Record<string, string | undefined>): WebhookEndpointOptions[] {
  const url = env.BANTER_WEBHOOK_URL?.trim();
  if (!url) return [];
  const secrets = (env.BANTER_WEBHOOK_SECRET ?? '').split(/[\s,]+/).filter(Boolean);
  if (secrets.length === 0) throw new TypeError('banter: BANTER_WEBHOOK_URL is set but BANTER_WEBHOOK_SECRET is not');
  const events = (env.BANTER_WEBHOOK_EVENTS ?? '*')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  return [{ url, secrets, events: events.length ? events : ['*'] }];
}
