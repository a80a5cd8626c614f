import { z } from 'zod';

/**
 * A host's own data on a message or a conversation (`metadata`): a JSON object, at most
 * `METADATA_LIMITS.bytes` bytes as JSON (UTF-8). The server checks it against the schema the host
 * gave `createChatServer({ metadata })`; the client's types follow from a type parameter.
 */
export const METADATA_LIMITS = { bytes: 4096 } as const;

/** Any JSON object; the host's schema, when given, decides the rest. */
export const metadataSchema = z.record(z.string(), z.unknown());
export type Metadata = z.infer<typeof metadataSchema>;

/** The types of a host's metadata, for `createChatClient<T>()`: each absent one is any JSON object. */
export interface ChatMetadata {
  message?: object;
  conversation?: object;
}

/** The message metadata type of `T` (any JSON object when `T` does not say). */
export type MessageMetadataOf<T extends ChatMetadata> = T['message'] extends object ? T['message'] : Metadata;
/** The conversation metadata type of `T` (any JSON object when `T` does not say). */
export type ConversationMetadataOf<T extends ChatMetadata> = T['conversation'] extends object ? T['conversation'] : Metadata;
