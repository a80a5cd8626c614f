import { z } from 'zod';
import { REACTION_LIMITS } from './lifecycle-limits';
import { LIMITS } from './limits';
import { metadataSchema } from './metadata';
import type { Message } from './schemas';

/**
 * Inputs, responses and events of a message's life after it was sent (issue 14): edit, versions,
 * delete. Ids are any short string here: one that is not a UUID cannot exist, and the server
 * answers it 404 like an unknown one.
 */

const conversationId = z.string().max(200);
const messageId = z.string().max(200);

/** At most this many edits of one message: every version is kept, and every size has a limit. */
export const MAX_MESSAGE_EDITS = 50;

export const editMessageBodySchema = z.strictObject({
  body: z
    .string()
    .max(LIMITS.messageLength, `messages are at most ${LIMITS.messageLength} characters`)
    .refine((s) => s.trim().length > 0, 'a message needs some text'),
  /** Replaces the message's metadata (checked like a send's); absent: kept as it is. */
  metadata: metadataSchema.optional(),
});
export type EditMessageBody = z.infer<typeof editMessageBodySchema>;

export const editMessageInputSchema = editMessageBodySchema.extend({ conversationId, messageId });
export type EditMessageInput = z.infer<typeof editMessageInputSchema>;

export const messageRefInputSchema = z.strictObject({ conversationId, messageId });
export type MessageRefInput = z.infer<typeof messageRefInputSchema>;

/** One version of a message's body: 1 is the body as sent; the highest is the current one. */
export interface MessageVersion {
  version: number;
  body: string;
  /** When this version was written (the send, or the edit that made it). */
  createdAt: string;
}

/** `GET /conversations/:id/messages/:messageId/versions`: oldest first; empty for a deleted message. */
export interface MessageVersionsResponse {
  versions: MessageVersion[];
}

/**
 * `message.updated`: a message's body was edited. `version` grows by one with each edit or delete
 * of that message, so a client applies only a higher version than the one it has. `message` is
 * omitted when the event would exceed the realtime service's payload limit; the client then reads
 * `messages?after=seq-1&limit=1`.
 */
export interface MessageUpdatedEvent {
  conversationId: string;
  messageId: string;
  seq: number;
  version: number;
  message?: Message;
}

/** `message.deleted`: a message was deleted for everyone (body '', `deletedAt` set, seq kept). */
export interface MessageDeletedEvent {
  conversationId: string;
  messageId: string;
  seq: number;
  version: number;
  deletedAt: string;
}

// In lifecycle-limits.ts (no zod there): the message lifecycle chunk names reactors by them.
export { REACTION_LIMITS };

// One emoji: pictographs, flags (regional indicator pairs) and keycaps, with their joiners,
// variation selectors and skin tones; at least one pictograph or flag letter (no plain text).
// biome-ignore lint/suspicious/noMisleadingCharacterClass: one code point at a time (joiners and selectors too), repeated by +
const EMOJI = /^(?:[\p{Extended_Pictographic}\p{Regional_Indicator}\p{Emoji_Modifier}\u200d\ufe0f\u20e3#*0-9])+$/u;
const PICTOGRAPH = /[\p{Extended_Pictographic}\p{Regional_Indicator}]/u;

export const emojiSchema = z
  .string()
  // UTF-16 units, as the limit is documented (a flag is 4, a family with skin tones up to 30).
  .refine((s) => s.length <= REACTION_LIMITS.emojiLength, `an emoji is at most ${REACTION_LIMITS.emojiLength} characters`)
  .refine((s) => EMOJI.test(s) && PICTOGRAPH.test(s), 'not an emoji');

export const reactionInputSchema = z.strictObject({ conversationId, messageId, emoji: emojiSchema });
export type ReactionInput = z.infer<typeof reactionInputSchema>;

/** One emoji on a message as the reader sees it. */
export interface ReactionSummary {
  emoji: string;
  count: number;
  reactedByMe: boolean;
  /** Who reacted, the first `REACTION_LIMITS.namedUsers` of them (oldest first; the reader too). */
  userIds?: string[];
}

/** `PUT` / `DELETE …/reactions/:emoji`: the message's reactions after the change. */
export interface ReactionsResponse {
  reactions: ReactionSummary[];
}

/** `reaction.updated`: `userId` added (`reacted: true`) or removed `emoji`; `count` is the new total. */
export interface ReactionUpdatedEvent {
  conversationId: string;
  messageId: string;
  seq: number;
  emoji: string;
  userId: string;
  reacted: boolean;
  count: number;
}
