import { userChannel } from '@banter/core/protocol';
import type { Broadcaster } from '../realtime/broadcaster';
import type { OutboxEventInput } from './enqueue';

/**
 * Outbox rows that are a step for the dispatcher to take rather than an event to publish: it takes
 * one after every earlier row of its conversation was published, by whichever instance dispatches
 * (the sweep keeps a conversation's rows in order; the fast path runs a step once the rows its commit
 * wrote before it are out). Their event names start with `banter:`, which no client event has; the
 * webhook trigger leaves them out (db/migrations/0041_outbox_steps.ts).
 */
export const OUTBOX_STEPS = {
  /** Close every realtime connection of `payload.userId` (Broadcaster.disconnectUser; nothing without one). */
  disconnectUser: 'banter:disconnect-user',
} as const;

export const isOutboxStep = (row: { event: string }): boolean => row.event.startsWith('banter:');

/**
 * A removed participant's connections close after their `participant.removed` went out: emit this
 * after those rows, in the same transaction. They reconnect without the conversation's presence
 * channel, whose authorization now refuses them.
 *
 * @example
 * emit([disconnectUserStep(conversationId, userId, meta.requestId)]);
 */
export function disconnectUserStep(conversationId: string, userId: string, requestId: string | null = null): OutboxEventInput {
  return { conversationId, channel: userChannel(userId), event: OUTBOX_STEPS.disconnectUser, payload: { userId }, requestId };
}

/** Take one step; rejects when the broadcaster failed (the row is retried like an event). */
export async function runOutboxStep(broadcaster: Broadcaster, row: { event: string; payload: unknown }): Promise<void> {
  if (row.event === OUTBOX_STEPS.disconnectUser) {
    const payload = typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload;
    const { userId } = payload as { userId: string };
    await broadcaster.disconnectUser?.(userId);
    return;
  }
  // Written by a newer version of Banter: an instance of that version takes it (it is retried).
  throw new Error(`unknown outbox step ${row.event}`);
}
