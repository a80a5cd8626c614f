import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'whsec_';
/** Standard Webhooks: refuse a timestamp further than this from now (replay protection). */
const DEFAULT_TOLERANCE_SECONDS = 300;

/** A signature, timestamp or secret that does not check out (`verifyWebhook`). */
export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

/**
 * The key bytes of a Standard Webhooks secret: `whsec_` and the base64 of 24 to 64 random bytes.
 *
 * @example
 * secretKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'); // Buffer of 24 bytes
 */
export function secretKey(secret: string): Buffer {
  if (typeof secret !== 'string' || !secret.startsWith(PREFIX)) {
    throw new TypeError('banter: a webhook secret starts with "whsec_" (generate one with generateWebhookSecret())');
  }
  const base64 = secret.slice(PREFIX.length);
  const key = Buffer.from(base64, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || key.length < 24 || key.length > 64) {
    throw new TypeError('banter: a webhook secret is "whsec_" and the base64 of 24 to 64 random bytes');
  }
  return key;
}

/**
 * A new Standard Webhooks secret (`whsec_` + 32 random bytes in base64), for the host's config.
 *
 * @example
 * const secret = generateWebhookSecret(); // 'whsec_...'
 */
export function generateWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

function sign(key: Buffer, id: string, timestamp: number, body: string): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

/**
 * The Standard Webhooks headers for one attempt: `webhook-signature` carries one `v1,` signature
 * per secret, so a host rotating its secret accepts with either the old or the new one.
 *
 * @example
 * const headers = webhookHeaders('msg_1', Math.floor(Date.now() / 1000), body, [secret]);
 */
export function webhookHeaders(id: string, timestamp: number, body: string, secrets: string[]): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => `v1,${sign(secretKey(secret), id, timestamp, body)}`).join(' '),
  };
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const bag = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(bag).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : bag[key];
  return Array.isArray(value) ? value[0] : value;
}

/** What a Banter webhook's body holds. */
export interface WebhookPayload<T = unknown> {
  /** The event name, e.g. `message.created`. */
  type: string;
  /** When the event was written (ISO 8601). */
  timestamp: string;
  data: T;
}

/**
 * Check a webhook Banter sent (Standard Webhooks): the signature over `id.timestamp.body` with one
 * of the secrets, and a timestamp within 5 minutes. Pass the raw body as received (not re-serialized
 * JSON). Returns the parsed payload; throws `WebhookVerificationError` otherwise.
 *
 * @example
 * ```ts
 * import { verifyWebhook } from '@banter/server';
 *
 * app.post('/banter-hooks', express.raw({ type: 'application/json' }), (req, res) => {
 *   const event = verifyWebhook(req.body.toString('utf8'), req.headers, process.env.BANTER_WEBHOOK_SECRET!);
 *   if (event.type === 'message.created') console.log(event.data);
 *   res.sendStatus(204);
 * });
 * ```
 */
export function verifyWebhook<T = unknown>(
  payload: string,
  headers: HeaderBag,
  secret: string | string[],
  options: { toleranceSeconds?: number; now?: Date } = {},
): WebhookPayload<T> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures)
    throw new WebhookVerificationError('missing webhook-id, webhook-timestamp or webhook-signature header');
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : Number.NaN;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (!Number.isFinite(seconds) || Math.abs(now - seconds) > (options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) {
    throw new WebhookVerificationError('webhook-timestamp is missing or too far from now');
  }
  const offered = signatures
    .split(' ')
    .filter((part) => part.startsWith('v1,'))
    .map((part) => Buffer.from(part.slice(3), 'base64'));
  for (const one of Array.isArray(secret) ? secret : [secret]) {
    const expected = Buffer.from(sign(secretKey(one), id, seconds, payload), 'base64');
    if (offered.some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected))) {
      try {
        return JSON.parse(payload) as WebhookPayload<T>;
      } catch {
        throw new WebhookVerificationError('webhook body is not JSON');
      }
    }
  }
  throw new WebhookVerificationError('no webhook-signature matches');
}
