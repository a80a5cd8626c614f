// Webhooks to the host's backend (docs/webhooks.md): the host-facing helpers and types.
export { generateWebhookSecret, verifyWebhook, WebhookVerificationError } from './signature';
export type { WebhookPayload } from './signature';
export { webhooksFromEnv } from './config';
export type { WebhookDeliveryOptions, WebhookEndpointOptions, WebhooksOption } from './config';
export type { FailedWebhook, WebhookAttempt } from './failed';
export type { ChatWebhooks } from './wiring';
