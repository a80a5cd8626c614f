import type { ChatServerOptions } from '../chat-server-types';
import type { Database } from '../db/create-database';
import type { BanterLogger } from '../observability/logger';
import { OutboxDeliveryError } from './delivery-error';
import { createOutboxDispatcher } from './dispatcher';
import type { OutboxDispatcher } from './dispatcher-options';
import type { OutboxSignal } from './signal';

/**
 * The outbox part of the chat server: its dispatcher, delivering through the host's broadcaster;
 * null with `dispatch: false` (CLI commands) or without a broadcaster (the host delivers).
 *
 * @example
 * ```ts
 * const dispatcher = createOutboxDelivery(options, { database, signal, logger, reportError });
 * dispatcher?.start(); // after migrations
 * ```
 */
export function createOutboxDelivery(
  server: Pick<ChatServerOptions, 'broadcaster' | 'dispatch' | 'dispatcher' | 'onError'>,
  options: { database: Database; signal: OutboxSignal; logger: BanterLogger; reportError: (error: unknown) => void },
): OutboxDispatcher | null {
  const { broadcaster } = server;
  if (server.dispatch === false || !broadcaster) return null;
  return createOutboxDispatcher({
    ...server.dispatcher,
    database: options.database,
    broadcaster,
    signal: options.signal,
    logger: options.logger.child({ component: 'outbox' }),
    // A failed row is already logged by the dispatcher, with its request id.
    onError: (error) => (error instanceof OutboxDeliveryError ? server.onError?.(error, {}) : options.reportError(error)),
  });
}
