import { z } from 'zod';
import { attachmentSchema, UPLOAD_LIMITS, type UploadLimitsInfo } from './attachments';
import { LIMITS, USER_ID_PATTERN } from './limits';
import { metadataSchema } from './metadata';

/**
 * One definition of every request and response shape, shared by server and client.
 * The server validates with these schemas; the client imports only their types, so zod stays
 * out of the browser bundle.
 */

export const userIdSchema = z.string().regex(USER_ID_PATTERN, 'user ids are 1-128 characters of A-Z a-z 0-9 _ - = @ , . ;');

/** Conversation and message ids are server-made UUIDs. */
export const idSchema = z.uuid();

export const userSchema = z.object({
  id: userIdSchema,
  name: z.string().max(LIMITS.nameLength).nullable(),
  avatarUrl: z.string().max(LIMITS.avatarUrlLength).nullable(),
});
export type User = z.infer<typeof userSchema>;

/**
 * A quoted message as a reply shows it: a short excerpt. `deletedAt` set (body ''): the original was
 * deleted; `senderId` null: it no longer exists at all (erased, or past retention).
 */
/** One emoji on a message as the reader sees it (lifecycle.ts `ReactionSummary`). */
export const reactionSummarySchema = z.object({
  emoji: z.string(),
  count: z.number().int().positive(),
  reactedByMe: z.boolean(),
  userIds: z.array(z.string()).optional(),
});

export const quotedMessageSchema = z.object({
  id: idSchema,
  /** The quoted message's seq in the conversation: where a client loads history back to (absent from older servers). */
  seq: z.number().int().positive().optional(),
  senderId: userIdSchema.nullable(),
  body: z.string().max(LIMITS.quoteExcerpt),
  deletedAt: z.string().nullable(),
});
export type QuotedMessage = z.infer<typeof quotedMessageSchema>;

export const messageSchema = z.object({
  id: idSchema,
  conversationId: idSchema,
  seq: z.number().int().positive(),
  senderId: userIdSchema,
  clientId: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  deletedAt: z.string().nullable(),
  /** Files on the message (present when it has some), with signed URLs for the reader. */
  attachments: z.array(attachmentSchema).optional(),
  /** Present when anyone reacted: `[{ emoji, count, reactedByMe, userIds }]`, in order of the first reaction. */
  reactions: z.array(reactionSummarySchema).optional(),
  /** Present when the message quotes another (`replyTo` on send). */
  replyTo: quotedMessageSchema.optional(),
  /** Present on a thread reply: the root message's id, and whether it shows in the conversation too. */
  threadId: idSchema.optional(),
  showInChannel: z.boolean().optional(),
  /** Present on a thread root once it has replies. */
  replyCount: z.number().int().nonnegative().optional(),
  lastReplyAt: z.string().nullable().optional(),
  /** Present when the sender mentioned participants: their user ids (structured, never parsed from the body). */
  mentions: z.array(userIdSchema).optional(),
  /** Present while the message is pinned in its conversation. */
  pinnedAt: z.string().optional(),
  pinnedBy: userIdSchema.nullable().optional(),
  /** Present when the message has the host's own data (`metadata` on send or edit; docs/client.md). */
  metadata: metadataSchema.optional(),
  /** 1 as sent, one more with each edit, delete or pin (servers before 0.4: absent); events carry the same number. */
  version: z.number().int().positive().optional(),
});
export type Message = z.infer<typeof messageSchema>;

export const participantSchema = z.object({
  user: userSchema,
  /** The participant's read cursor: every message with seq <= lastReadSeq is read by them. */
  lastReadSeq: z.number().int().nonnegative(),
  joinedAt: z.string(),
  /** `admin` may delete anyone's message, pin, add and remove participants, rename the group (the server always sends it). */
  role: z.enum(['member', 'admin']).optional(),
});
export type Participant = z.infer<typeof participantSchema>;

/** A conversation as one user sees it: `unreadCount` and `lastReadSeq` are the caller's own. */
export const conversationSchema = z.object({
  id: idSchema,
  kind: z.enum(['direct', 'group']),
  title: z.string().nullable(),
  lastSeq: z.number().int().nonnegative(),
  lastMessageAt: z.string().nullable(),
  createdAt: z.string(),
  participants: z.array(participantSchema),
  lastMessage: messageSchema.nullable(),
  unreadCount: z.number().int().nonnegative(),
  lastReadSeq: z.number().int().nonnegative(),
  /** The caller was mentioned in a message after their read cursor (the server always sends it). */
  mentioned: z.boolean().optional(),
  /** The caller muted it: its unread count is no badge and no notification (servers before 0.3: absent). */
  muted: z.boolean().optional(),
  /** A direct conversation where one of the two blocked the other: no messages either way. */
  blocked: z.boolean().optional(),
  /** Slow mode: one message per this many seconds per member (admins exempt); null when off. */
  slowModeSeconds: z.number().int().positive().nullable().optional(),
  /** Present when the conversation has the host's own data (`metadata` on create or update). */
  metadata: metadataSchema.optional(),
});
export type Conversation = z.infer<typeof conversationSchema>;

// Requests. Strict objects: an unknown field is a client bug worth a clear 400, not silence.

export const createConversationBodySchema = z.strictObject({
  participantIds: z
    .array(userIdSchema)
    .min(1)
    .max(LIMITS.participants - 1),
  title: z.string().trim().min(1).max(LIMITS.titleLength).optional(),
  /** The host's own data (checked against its schema); only a new conversation takes it. */
  metadata: metadataSchema.optional(),
});
export type CreateConversationBody = z.infer<typeof createConversationBodySchema>;

export const sendMessageBodySchema = z.strictObject({
  /** Made by the client (a UUID); the idempotency key of the send. */
  clientId: z.uuid(),
  body: z
    .string()
    .max(LIMITS.messageLength, `messages are at most ${LIMITS.messageLength} characters`)
    .refine((s) => s.trim().length > 0, 'a message needs some text'),
  /** Upload ids (from `POST /conversations/:id/uploads`) of files to attach, in order. */
  attachments: z.array(z.string().max(64)).max(UPLOAD_LIMITS.perMessage).optional(),
  /** Quote this message of the same conversation. */
  replyTo: z.uuid().optional(),
  /** Reply in the thread of this message of the same conversation (a reply's id means its root). */
  threadId: z.uuid().optional(),
  /** With `threadId`: show the reply in the conversation too (default false, like Stream's show_in_channel). */
  showInChannel: z.boolean().optional(),
  /** Participants mentioned: user ids, at most `LIMITS.mentions`. */
  mentions: z.array(userIdSchema).max(LIMITS.mentions, `at most ${LIMITS.mentions} mentions`).optional(),
  /** The host's own data (checked against its schema, at most 4 KB as JSON). */
  metadata: metadataSchema.optional(),
});
export type SendMessageBody = z.infer<typeof sendMessageBodySchema>;

export const markReadBodySchema = z.strictObject({
  /** Read up to and including this seq; omitted means up to the latest message. */
  seq: z.number().int().nonnegative().optional(),
});
export type MarkReadBody = z.infer<typeof markReadBodySchema>;

const limitParam = z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault);
const seqParam = z.coerce.number().int().nonnegative();

export const listConversationsQuerySchema = z.strictObject({
  limit: limitParam,
  cursor: z.string().max(200).optional(),
});
export type ListConversationsQuery = z.infer<typeof listConversationsQuerySchema>;

export const listMessagesQuerySchema = z.strictObject({
  limit: limitParam,
  /** Messages with seq < before, newest first taken, returned in seq order. */
  before: seqParam.optional(),
  /** Messages with seq > after, oldest first, returned in seq order (gap filling). */
  after: seqParam.optional(),
});
export type ListMessagesQuery = z.infer<typeof listMessagesQuerySchema>;

export const realtimeAuthBodySchema = z.object({
  socket_id: z.string().regex(/^\d+\.\d+$/, 'socket_id must look like 1234.5678'),
  channel_name: z.string().min(1).max(164),
});

/** `POST /realtime/user-auth`: pusher-js user authentication (`pusher.signin()`). */
export const realtimeUserAuthBodySchema = z.object({
  socket_id: z.string().regex(/^\d+\.\d+$/, 'socket_id must look like 1234.5678'),
});

// Responses.

export interface MeResponse {
  user: User;
  /** The server's upload limits (absent on servers before issue 15). */
  uploads?: UploadLimitsInfo;
}
export interface ConversationResponse {
  conversation: Conversation;
}
export interface ConversationPage {
  conversations: Conversation[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}
export interface MessageResponse {
  message: Message;
}
export interface MessagePage {
  /** Always in ascending seq order. */
  messages: Message[];
  /** More messages exist beyond this page in the direction asked for. */
  hasMore: boolean;
}
export interface ReadResponse {
  conversationId: string;
  lastReadSeq: number;
  unreadCount: number;
}
/** `GET /config`: all a client needs to connect to the realtime service. */
export interface RealtimeConfig {
  key: string;
  cluster: string;
  wsHost: string | null;
  wsPort: number | null;
  wssPort: number | null;
  forceTLS: boolean;
  /** Channel authorization endpoint, relative to the API base URL. */
  authEndpoint: string;
  /**
   * User authentication endpoint (`pusher:signin`), relative to the API base URL; absent when the
   * realtime service has no user authentication (Soketi, Reverb).
   */
  userAuthEndpoint?: string;
}

// Realtime event payloads (the data of each event on `private-user.<id>`).

/**
 * `message.created`. `message` is omitted when the event would exceed the realtime service's
 * payload limit (10 KB on Pusher); the client then fetches `messages?after=seq-1`.
 */
export interface MessageCreatedEvent {
  conversationId: string;
  seq: number;
  message?: Message;
}
/** `conversation.read`: a participant's read cursor moved forward. */
export interface ConversationReadEvent {
  conversationId: string;
  userId: string;
  lastReadSeq: number;
}
/**
 * `conversation.updated`: the conversation as the receiving user sees it (new, renamed, read).
 * `conversation` is omitted when it would exceed the realtime service's payload limit (a large
 * group, a long last message); the client then fetches `GET /conversations/:id`. Servers before
 * 0.2 sent only `conversation`.
 */
export interface ConversationUpdatedEvent {
  conversationId: string;
  conversation?: Conversation;
}
/** `client-typing` on `presence-conversation.<id>`; the relay adds `user_id`. */
export interface TypingEvent {
  userId: string;
}
