export { createRelay } from './create-relay';
export { CLOSE, ERROR } from './codes';
export { DEFAULT_LIMITS, DEFAULT_ACTIVITY_TIMEOUT } from './limits';
export type {
  PublishOptions,
  Relay,
  RelayApp,
  RelayLimits,
  RelayOptions,
  RelayStats,
  WebhookEvent,
  WebhookEventName,
  WebhookOptions,
} from './types';
