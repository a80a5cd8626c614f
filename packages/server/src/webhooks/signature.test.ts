import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { normalizeEndpoints, webhooksFromEnv } from './config';
import { generateWebhookSecret, verifyWebhook, WebhookVerificationError, webhookHeaders } from './signature';

describe('Standard Webhooks signatures (standardwebhooks as the oracle)', () => {
  const oldSecret = generateWebhookSecret();
  const newSecret = generateWebhookSecret();
  const body = JSON.stringify({ type: 'message.created', timestamp: new Date().toISOString(), data: { conversationId: 'c1', seq: 1 } });
  const now = Math.floor(Date.now() / 1000);

  it('signs with every secret: the oracle accepts each one alone', () => {
    const headers = webhookHeaders('msg_1', now, body, [oldSecret, newSecret]);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    for (const secret of [oldSecret, newSecret]) expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow();
  });

  it('verifyWebhook accepts what the oracle signs, and refuses tampering, stale timestamps and other secrets', () => {
    const oracle = new Webhook(newSecret);
    const at = new Date(now * 1000);
    const headers = { 'webhook-id': 'msg_2', 'webhook-timestamp': String(now), 'webhook-signature': oracle.sign('msg_2', at, body) };
    expect(verifyWebhook(body, headers, [oldSecret, newSecret])).toEqual(JSON.parse(body));
    expect(verifyWebhook(body, new Headers(headers), newSecret).type).toBe('message.created');
    expect(() => verifyWebhook(`${body} `, headers, newSecret)).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(body, headers, oldSecret)).toThrow('no webhook-signature matches');
    expect(() => verifyWebhook(body, { ...headers, 'webhook-id': 'msg_3' }, newSecret)).toThrow(WebhookVerificationError);
    expect(() => verifyWebhook(body, headers, newSecret, { now: new Date((now + 600) * 1000) })).toThrow('too far');
    expect(() => verifyWebhook(body, {}, newSecret)).toThrow('missing');
  });

  it('refuses secrets that are not whsec_ base64 of 24-64 bytes', () => {
    expect(() => webhookHeaders('m', now, body, ['hunter2'])).toThrow('whsec_');
    expect(() => webhookHeaders('m', now, body, ['whsec_c2hvcnQ='])).toThrow('24 to 64');
  });
});

describe('webhook endpoint config', () => {
  const secret = generateWebhookSecret();
  it('validates URL, events and secrets, and derives a stable id', () => {
    const { endpoints } = normalizeEndpoints([{ url: 'https://host.example/hooks', events: ['message.created', '*'], secret }]);
    expect(endpoints[0]).toMatchObject({ url: 'https://host.example/hooks', events: ['message.created', '*'], secrets: [secret] });
    expect(endpoints[0]!.id).toMatch(/^ep_[0-9a-f]{16}$/);
    expect(normalizeEndpoints([{ url: 'https://host.example/hooks', events: ['*'], secret }]).endpoints[0]!.id).toBe(endpoints[0]!.id);
    expect(() => normalizeEndpoints([{ url: 'ftp://x/', events: ['*'], secret }])).toThrow('http or https');
    expect(() => normalizeEndpoints([{ url: 'not a url', events: ['*'], secret }])).toThrow('absolute');
    expect(() => normalizeEndpoints([{ url: 'https://x/', events: [], secret }])).toThrow('events');
    expect(() => normalizeEndpoints([{ url: 'https://x/', events: ['Bad Name'], secret }])).toThrow('events');
    expect(() => normalizeEndpoints([{ url: 'https://x/', events: ['*'] }])).toThrow('needs a secret');
    expect(() =>
      normalizeEndpoints([
        { url: 'https://x/', events: ['*'], secret },
        { url: 'https://x/', events: ['*'], secret },
      ]),
    ).toThrow('share');
  });

  it('reads one endpoint from BANTER_WEBHOOK_*', () => {
    expect(webhooksFromEnv({})).toEqual([]);
    expect(
      webhooksFromEnv({
        BANTER_WEBHOOK_URL: 'https://h/x',
        BANTER_WEBHOOK_SECRET: `${secret}, ${secret}2`,
        BANTER_WEBHOOK_EVENTS: 'message.created, notification.due',
      }),
    ).toEqual([{ url: 'https://h/x', secrets: [secret, `${secret}2`], events: ['message.created', 'notification.due'] }]);
    expect(webhooksFromEnv({ BANTER_WEBHOOK_URL: 'https://h/x', BANTER_WEBHOOK_SECRET: secret })[0]!.events).toEqual(['*']);
    expect(() => webhooksFromEnv({ BANTER_WEBHOOK_URL: 'https://h/x' })).toThrow('BANTER_WEBHOOK_SECRET');
  });
});
