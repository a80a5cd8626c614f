import type { Conversation, ConversationUpdatedEvent } from '@banter/core/protocol';

/**
 * Realtime services cap one event's data at 10 KB (Pusher, Soketi, Banter's relay). An event
 * carries what is large (a message, a conversation with its participants) only below this, with
 * room to spare; above it only ids and seqs, and the client fetches the rest.
 */
export const MAX_EVENT_PAYLOAD_BYTES = 9000;

/** True when `payload` as JSON is within MAX_EVENT_PAYLOAD_BYTES. */
export function payloadFits(payload: unknown): boolean {
  const json = JSON.stringify(payload);
  // A UTF-16 unit is at most 3 bytes of UTF-8: most payloads are decided without encoding them.
  if (json.length * 3 <= MAX_EVENT_PAYLOAD_BYTES) return true;
  return Buffer.byteLength(json) <= MAX_EVENT_PAYLOAD_BYTES;
}

/**
 * `conversation.updated` for one viewer, bounded by construction: the conversation as they see it
 * when it fits, else only its id (a group of 60 with long avatar URLs, or a last message of 4,000
 * three-byte characters, is over 10 KB); the client then reads `GET /conversations/:id`.
 *
 * @example
 * ```ts
 * conversationUpdatedPayload(viewFor(base, userId)); // { conversationId, conversation? }
 * ```
 */
export function conversationUpdatedPayload(conversation: Conversation): ConversationUpdatedEvent {
  const full = { conversationId: conversation.id, conversation };
  return payloadFits(full) ? full : { conversationId: conversation.id };
}
