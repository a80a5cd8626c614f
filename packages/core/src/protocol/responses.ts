import { z } from 'zod';
import { attachmentSchema, type CreateUploadResponse, type Upload } from './attachments';
import type { MessageVersionsResponse, ReactionsResponse } from './lifecycle';
import {
  type ConversationPage,
  type ConversationResponse,
  conversationSchema,
  type MeResponse,
  type MessagePage,
  type MessageResponse,
  messageSchema,
  participantSchema,
  reactionSummarySchema,
  type ReadResponse,
  type RealtimeConfig,
  userSchema,
} from './schemas';
import type { RemoveParticipantResponse } from './participants';
import type { SearchResponse } from './search';
import type { ThreadPage } from './threads';
import type { UserSearchResponse } from './users';

/**
 * The success bodies of the HTTP API as zod schemas, for its OpenAPI description (each operation's
 * `http.response`) and for the tests that hold the server to them. `satisfies` ties each schema to
 * the TypeScript type clients use: a field added to one and not the other does not compile.
 * Registered in `protocolSchemas` under the name the OpenAPI document gives them.
 */

/** Named schemas: `components.schemas` of the OpenAPI document (`$ref`s between them). */
export const protocolSchemas = z.registry<{ id: string }>();

const named = <T extends z.ZodType>(id: string, schema: T): T => {
  protocolSchemas.add(schema, { id });
  return schema;
};

named('User', userSchema);
named('Message', messageSchema);
named('Attachment', attachmentSchema);
named('Participant', participantSchema);
named('Conversation', conversationSchema);

export const meResponseSchema = named('MeResponse', z.object({ user: userSchema })) satisfies z.ZodType<MeResponse>;

export const conversationResponseSchema = named(
  'ConversationResponse',
  z.object({ conversation: conversationSchema }),
) satisfies z.ZodType<ConversationResponse>;

export const conversationPageSchema = named(
  'ConversationPage',
  z.object({
    conversations: z.array(conversationSchema),
    /** Pass as `cursor` for the next page; null on the last page. */
    nextCursor: z.string().nullable(),
  }),
) satisfies z.ZodType<ConversationPage>;

export const messageResponseSchema = named('MessageResponse', z.object({ message: messageSchema })) satisfies z.ZodType<MessageResponse>;

export const messagePageSchema = named(
  'MessagePage',
  z.object({
    /** Always in ascending seq order. */
    messages: z.array(messageSchema),
    /** More messages exist beyond this page in the direction asked for. */
    hasMore: z.boolean(),
  }),
) satisfies z.ZodType<MessagePage>;

export const readResponseSchema = named(
  'ReadResponse',
  z.object({ conversationId: z.string(), lastReadSeq: z.number().int().nonnegative(), unreadCount: z.number().int().nonnegative() }),
) satisfies z.ZodType<ReadResponse>;

export const realtimeConfigSchema = named(
  'RealtimeConfig',
  z.object({
    key: z.string(),
    cluster: z.string(),
    wsHost: z.string().nullable(),
    wsPort: z.number().int().nullable(),
    wssPort: z.number().int().nullable(),
    forceTLS: z.boolean(),
    /** Channel authorization endpoint, relative to the API base URL. */
    authEndpoint: z.string(),
  }),
) satisfies z.ZodType<RealtimeConfig>;

export const messageVersionsResponseSchema = named(
  'MessageVersionsResponse',
  z.object({ versions: z.array(z.object({ version: z.number().int().positive(), body: z.string(), createdAt: z.string() })) }),
) satisfies z.ZodType<MessageVersionsResponse>;

export const reactionsResponseSchema = named(
  'ReactionsResponse',
  z.object({ reactions: z.array(reactionSummarySchema) }),
) satisfies z.ZodType<ReactionsResponse>;

export const searchResponseSchema = named(
  'SearchResponse',
  z.object({
    /** Best match first (ties: newest first). */
    results: z.array(
      z.object({
        message: messageSchema,
        /** Plain text; `…` marks a cut. */
        snippet: z.string(),
        /** `[start, end)` of matching words in `snippet`, in UTF-16 code units. */
        highlights: z.array(z.tuple([z.number().int(), z.number().int()])),
      }),
    ),
    nextCursor: z.string().nullable(),
  }),
) satisfies z.ZodType<SearchResponse>;

export const uploadSchema = named(
  'Upload',
  z.object({
    id: z.string(),
    conversationId: z.string(),
    name: z.string(),
    type: z.string(),
    size: z.number().int(),
    uploaded: z.boolean(),
  }),
) satisfies z.ZodType<Upload>;

export const createUploadResponseSchema = named(
  'CreateUploadResponse',
  z.object({
    upload: uploadSchema,
    method: z.literal('PUT'),
    /** Where to PUT the bytes: absolute (a presigned URL) or relative to the API base URL. */
    url: z.string(),
    headers: z.record(z.string(), z.string()),
    expiresAt: z.string(),
  }),
) satisfies z.ZodType<CreateUploadResponse>;

/** `POST /realtime/auth`: the Pusher channel authorization (`shared_secret` for encrypted channels). */
export const channelAuthResponseSchema = named(
  'ChannelAuthResponse',
  z.object({ auth: z.string(), channel_data: z.string().optional(), shared_secret: z.string().optional() }),
);
export type ChannelAuthResponse = z.infer<typeof channelAuthResponseSchema>;

export const healthResponseSchema = named('HealthResponse', z.object({ status: z.literal('ok') }));
export const readyResponseSchema = named('ReadyResponse', z.object({ status: z.literal('ready') }));

/** `GET /openapi.json`: an OpenAPI 3.1 document (this one). */
export const openApiDocumentSchema = named(
  'OpenApiDocument',
  z.looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  }),
);

export const threadPageSchema = named(
  'ThreadPage',
  z.object({ root: messageSchema, messages: z.array(messageSchema), hasMore: z.boolean() }),
) satisfies z.ZodType<ThreadPage>;

export const removeParticipantResponseSchema = named(
  'RemoveParticipantResponse',
  z.object({ conversationId: z.string(), userId: z.string() }),
) satisfies z.ZodType<RemoveParticipantResponse>;

/** `POST /realtime/user-auth`: the Pusher user sign-in. */
export const userAuthResponseSchema = named('UserAuthResponse', z.object({ auth: z.string(), user_data: z.string() }));

export const pinsResponseSchema = named('PinsResponse', z.object({ messages: z.array(messageSchema) }));

export const userSearchResponseSchema = named(
  'UserSearchResponse',
  z.object({ users: z.array(userSchema) }),
) satisfies z.ZodType<UserSearchResponse>;
