// Operability: structured logs, Prometheus metrics, health checks. See docs/operations.md.
export { createLogger, logLevelFromEnv, REDACT_PATHS } from './logger';
export type { BanterLogger, CreateLoggerOptions } from './logger';
export { createChatServerMetrics, registerRelayMetrics } from './metrics';
export type { ChatMetricsSources, ChatServerMetrics } from './metrics';
export { metricsHandler } from './metrics-handler';
