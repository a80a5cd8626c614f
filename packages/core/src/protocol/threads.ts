import { z } from 'zod';
import { LIMITS } from './limits';
import type { Message } from './schemas';

/** Inputs, responses and events of threads (issue 14). Ids as in lifecycle.ts: any short string, 404 when not a UUID. */

const conversationId = z.string().max(200);
const messageId = z.string().max(200);
const limitParam = z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault);
const seqParam = z.coerce.number().int().nonnegative();

/** `GET /conversations/:id/messages/:messageId/thread?limit&before&after`: seq bounds, as for messages. */
export const listThreadInputSchema = z.strictObject({
  conversationId,
  messageId,
  limit: limitParam,
  before: seqParam.optional(),
  after: seqParam.optional(),
});
export type ListThreadInput = z.input<typeof listThreadInputSchema>;

/** A page of a thread's replies, in ascending seq, with the root message as the caller reads it. */
export interface ThreadPage {
  root: Message;
  messages: Message[];
  hasMore: boolean;
}

/**
 * `thread.updated`: a reply went into the thread of `messageId` (the root). `replyCount` and
 * `lastReplyAt` are the root's after it; `replySeq` is the reply's seq.
 */
export interface ThreadUpdatedEvent {
  conversationId: string;
  messageId: string;
  seq: number;
  replyCount: number;
  lastReplyAt: string;
  replySeq: number;
}

/** At most this many pinned messages per conversation. */
export const MAX_PINS = 50;

/** `GET /conversations/:id/pins`: the pinned messages, latest pinned first (at most `MAX_PINS`). */
export const listPinsInputSchema = z.strictObject({ conversationId });
export type ListPinsInput = z.infer<typeof listPinsInputSchema>;

export interface PinsResponse {
  messages: Message[];
}
