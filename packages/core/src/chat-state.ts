import type { BanterError } from './errors';
import type { ChatMetadata, ConversationMetadataOf, MessageMetadataOf } from './protocol/metadata';
import type { Conversation, Message, User } from './protocol/schemas';

// The store's state, as every UI reads it from `client.store.getSnapshot()`. `T` is the host's
// metadata types (`createChatClient<T>()`): every message and conversation in it carries them.

/** A message whose `metadata` has the host's type (`T['message']`; any JSON object by default). */
export type TypedMessage<T extends ChatMetadata = ChatMetadata> = Omit<Message, 'metadata'> & { metadata?: MessageMetadataOf<T> };

/** A conversation whose `metadata` (and last message's) has the host's types. */
export type TypedConversation<T extends ChatMetadata = ChatMetadata> = Omit<Conversation, 'metadata' | 'lastMessage'> & {
  metadata?: ConversationMetadataOf<T>;
  lastMessage: TypedMessage<T> | null;
};

/** The realtime connection, simplified from pusher-js's states. */
export type ConnectionState = 'connecting' | 'connected' | 'unavailable' | 'offline';

/** A message's status as its sender sees it; others' messages are always `sent`. */
export type MessageStatus = 'sending' | 'sent' | 'read' | 'failed';

/** A file of a message not confirmed yet, as the store holds it (the bytes stay outside the store). */
export interface LocalFile {
  name: string;
  type: string;
  size: number;
  /** An object URL of the file itself for images (browsers only), to show before the upload ends. */
  previewUrl: string | null;
  /** Bytes sent so far (0 until the PUT starts; `size` once it is in; no steps without XMLHttpRequest). */
  loaded: number;
  /** The upload's id once the server has the file: a retry does not upload it again. */
  uploadId: string | null;
}

/** What `client.messages.send` takes besides a plain body: text and files (`File` or named `Blob`s). */
export interface SendInput<T extends ChatMetadata = ChatMetadata> {
  body: string;
  files?: ReadonlyArray<Blob & { name?: string }>;
  /**
   * Quote this message of the conversation (its id). This and the fields below go to the server as
   * given (the pending message keeps them in `sending`); the message reads with them (`replyTo` as
   * a quote) once the server's copy is in.
   */
  replyTo?: string;
  /** Reply in the thread of this message (a reply's id means its root). */
  threadId?: string;
  /** With `threadId`: show the reply in the conversation too. */
  showInChannel?: boolean;
  /** Participants mentioned (user ids; never parsed from the body). */
  mentions?: string[];
  /** The host's own data (checked by the server's schema; at most 4 KB as JSON). */
  metadata?: MessageMetadataOf<T>;
}

/**
 * A message as the store holds it: the server's copy (id and seq set) or a pending/failed local one
 * (id and seq null). `clientId` is stable across both, so use it as the render key.
 */
export interface LocalMessage<T extends ChatMetadata = ChatMetadata> extends Omit<TypedMessage<T>, 'id' | 'seq'> {
  id: string | null;
  seq: number | null;
  clientId: string;
  status: MessageStatus;
  /** Why the send failed (status `failed`). */
  error?: BanterError;
  /** Files of a message not confirmed yet, with upload progress and local previews. */
  files?: LocalFile[];
  /** A pending message: what it is sent with besides its text (`replyTo`, `threadId`, `showInChannel`, `mentions`). */
  sending?: Omit<SendInput<T>, 'body' | 'files'>;
  /** The highest `version` of a `message.updated` / `message.deleted` applied (older ones are ignored). */
  version?: number;
}

export interface ConversationState<T extends ChatMetadata = ChatMetadata> {
  /** The server's view (participants with read cursors, lastReadSeq, unreadCount...), kept current by events. */
  conversation: TypedConversation<T>;
  /** Confirmed messages by seq ascending, then pending and failed ones in send order. */
  messages: LocalMessage<T>[];
  /** What the list shows: the latest message, pending ones included (null when there is none). */
  lastMessage: LocalMessage<T> | null;
  /** ISO time of the latest activity (latest message, pending included, else creation): the list's order. */
  activityAt: string;
  /** The latest page of messages has been loaded at least once. */
  loaded: boolean;
  /** Once loaded: the seq from which the store holds every message (1 when the history is complete). */
  syncedFrom: number | null;
  /** Older messages exist on the server (seq 1 is not loaded yet). */
  hasOlder: boolean;
  loadingOlder: boolean;
  /** User ids typing now (each expires a few seconds after their last typing event). */
  typing: string[];
  /** User ids present on the conversation's presence channel (only for the active conversation). */
  online: string[];
}

/** One thread as `client.messages.loadThread` loaded it (issue 14), kept current by events. */
export interface ThreadState<T extends ChatMetadata = ChatMetadata> {
  conversationId: string;
  /** The root message (null until the first page is in); its `replyCount` and `lastReplyAt` follow `thread.updated`. */
  root: LocalMessage<T> | null;
  /** The replies loaded or arrived since, seq ascending (the user's pending ones stay in the conversation's `messages`). */
  messages: LocalMessage<T>[];
  /** Older replies exist: `loadThread(id, rootId, { before: messages[0].seq })`. */
  hasOlder: boolean;
  loading: boolean;
}

/** The whole client state: immutable, a new object only when something changed. */
export interface ChatState<T extends ChatMetadata = ChatMetadata> {
  me: User | null;
  connection: ConnectionState;
  conversations: Record<string, ConversationState<T>>;
  /** Conversation ids, latest activity first. */
  conversationOrder: string[];
  /** More conversations can be loaded with `client.conversations.loadMore()`. */
  listHasMore: boolean;
  /** The conversation set by `client.setActiveConversation` (null when none). */
  activeConversationId: string | null;
  /** Threads loaded with `client.messages.loadThread`, by root message id (absent before the first). */
  threads?: Record<string, ThreadState<T>>;
}
