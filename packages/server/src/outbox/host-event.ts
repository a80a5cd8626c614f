import type { OutboxEventInput } from './enqueue';

/**
 * The outbox channel for events only the host's backend gets (webhooks): the outbox trigger turns
 * such a row into deliveries and drops it, so no realtime client ever receives it
 * (db/migrations/0036_webhooks.ts).
 */
export const HOST_CHANNEL = 'banter-host';

/**
 * An event for the host's webhooks only, e.g. `conversation.created` or `notification.due`: emit it
 * with the store's `emit` in the transaction of the change it describes. Keep `payload` small
 * (ids and short fields).
 *
 * @example
 * emit([hostEvent('report.created', { reportId, conversationId }, { conversationId, requestId: meta.requestId })]);
 */
export function hostEvent(
  event: string,
  payload: Record<string, unknown>,
  options: { conversationId?: string | null; requestId?: string | null } = {},
): OutboxEventInput {
  return { conversationId: options.conversationId ?? null, channel: HOST_CHANNEL, event, payload, requestId: options.requestId ?? null };
}
