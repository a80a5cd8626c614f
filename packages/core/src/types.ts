import type { BanterError } from './errors';
import type { Platform } from './platform';
import type { ChatStorage } from './storage';
import type { HttpApi } from './http';
import type { UploadLimitsInfo } from './protocol/attachments';
import type { ConversationPage, ConversationReadEvent, RealtimeConfig, User } from './protocol/schemas';
import type { BlocksResponse, ReportResponse } from './protocol/moderation';
import type { SearchResponse } from './protocol/search';
import type { MessageVersion } from './protocol/lifecycle';
import type { ThreadPage } from './protocol/threads';
import type { UserSearchResponse } from './protocol/users';
import type { ChatState, ConnectionState, LocalMessage, SendInput, TypedConversation, TypedMessage } from './chat-state';
import type { ChatMetadata, ConversationMetadataOf, MessageMetadataOf } from './protocol/metadata';

/** Timings, overridable by tests (and by `createChatClient({ timings })`). */
export interface ClientTimings {
  /** Least ms between two client-typing events of one conversation (default 3000). */
  typingThrottle: number;
  /** A remote typing indicator disappears this long after its last event (default 5000). */
  typingExpiry: number;
  /** Automatic read receipts are debounced by this much (default 300). */
  readDebounce: number;
  /** Delay before sending again after network failure number n (default 1 s doubling, at most 30 s). */
  sendBackoff: (attempt: number) => number;
  /**
   * How long an event that skipped a seq waits for the missing one (realtime can reorder or repeat
   * events) before the client fetches the gap (default 250 ms; 0 fetches at once).
   */
  gapHold: number;
}

/**
 * How the user's read cursor moves: `'active'` (default) marks what arrives in the active conversation
 * while the page is visible; `'seen'` marks only messages the UI reported with `client.markSeen`.
 */
export type ReadReceiptMode = 'active' | 'seen';

/** The text being written, per conversation, kept across reloads in the client's `storage`. */
export interface Drafts {
  /** The draft of a conversation ('' when none). */
  get(conversationId: string): string;
  /** Replaces the draft ('' removes it); stored at once. Sending a message clears it. */
  set(conversationId: string, text: string): void;
}

export type {
  ConnectionState,
  MessageStatus,
  LocalFile,
  SendInput,
  LocalMessage,
  ConversationState,
  ChatState,
  ThreadState,
  TypedConversation,
  TypedMessage,
} from './chat-state';
export type { ChatMetadata } from './protocol/metadata';

/** The store every UI binds to (`useSyncExternalStore(store.subscribe, store.getSnapshot)`). */
export interface ChatStore<T extends ChatMetadata = ChatMetadata> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): ChatState<T>;
}

/** Returned by every `on`/`subscribe` style call. */
export interface Subscription {
  unsubscribe(): void;
}

/** Events of `client.on(name, handler)` and their payloads. */
export interface ChatClientEvents<T extends ChatMetadata = ChatMetadata> {
  /** A confirmed message arrived or was loaded as new (realtime, send reply or gap fill): once per message. */
  message: { conversationId: string; message: TypedMessage<T> };
  /** A participant's read cursor moved forward. */
  read: ConversationReadEvent;
  /** A conversation was created, renamed or its own read state changed. */
  conversation: { conversation: TypedConversation<T> };
  /** Someone started typing in a conversation whose presence channel is subscribed. */
  typing: { conversationId: string; userId: string };
  connection: { previous: ConnectionState; current: ConnectionState };
  /** Upload progress of a file of a pending message (`index` in its `files`). */
  upload: { conversationId: string; clientId: string; index: number; loaded: number; total: number };
  /** Background failures (a failed send, a failed gap fill, a failed auto markRead...). */
  error: { error: BanterError; clientId?: string; conversationId?: string };
}
export type ChatClientEventName = keyof ChatClientEvents;

/** The pusher-js constructor (`import Pusher from 'pusher-js'`), injected or loaded lazily. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PusherConstructor = new (key: string, options: any) => any;

export interface RealtimeOptions {
  /** pusher-js's constructor; default: `import('pusher-js')` when the realtime connection starts. */
  Pusher?: PusherConstructor;
  /** Overrides what `GET /config` says (or replaces it when complete). */
  config?: Partial<RealtimeConfig>;
}

export interface ChatClientOptions {
  /** API base URL, where the server handler is mounted (e.g. `https://host.example/api`). */
  url: string;
  /** The user's token (HS256 JWT from the host's backend). */
  token?: string;
  /** Called at start when there is no `token`, and again when a request answers 401. */
  getToken?: () => string | Promise<string>;
  fetch?: typeof fetch;
  /** `false`: no realtime connection (bots, tests); default: pusher-js configured from `GET /config`. */
  realtime?: RealtimeOptions | false;
  /** Request timeout in ms (default 15000). */
  timeout?: number;
  /** Log connection changes, subscriptions, catch-ups and send retries with console.info (prefix `[banter]`; never message text). */
  debug?: boolean;
  /** How read receipts move (default `'active'`); see {@link ReadReceiptMode}. */
  readReceipts?: ReadReceiptMode;
  /** Visibility, focus, online state and timers; default {@link browserPlatform} (lazy globals). */
  platform?: Partial<Platform>;
  /** Debounces, throttles, backoffs and the gap hold, in ms. */
  timings?: Partial<ClientTimings>;
  /**
   * Where the send queue and drafts survive a reload (default: `localStorage` in browsers, in memory
   * elsewhere); `memoryStorage()` keeps nothing on the device.
   */
  storage?: ChatStorage;
}

export interface ConnectionInfo {
  readonly state: ConnectionState;
  /** The latest state changes, oldest first (at most 20). */
  readonly history: ReadonlyArray<{ state: ConnectionState; at: number }>;
  subscribe(listener: (change: { previous: ConnectionState; current: ConnectionState }) => void): Subscription;
}

/**
 * The client; `T` types the host's metadata (`createChatClient<T>()`, docs/client.md "Typed
 * metadata"): `m.metadata` of every message and conversation in the store, the events and the
 * answers has the host's type, and `send` and `edit` take only that type.
 */
export interface ChatClient<T extends ChatMetadata = ChatMetadata> {
  /** Resolves when `/me` is loaded and the realtime connection is starting. */
  readonly ready: Promise<void>;
  /** Its HTTP layer (token and retries included): `createChatNotifications({ http: client.http })`. */
  readonly http: HttpApi;
  readonly me: User | null;
  readonly store: ChatStore<T>;
  readonly connection: ConnectionInfo;
  /** Per-conversation drafts, stored with the send queue (loaded before `ready` resolves). */
  readonly drafts: Drafts;
  /** The server's upload limits, from `/me` (null before `ready`, or from a server without uploads). */
  readonly uploadLimits: UploadLimitsInfo | null;
  conversations: {
    /** One page of the list (first page without cursor); also merged into the store. */
    list(options?: {
      cursor?: string | null;
      limit?: number;
    }): Promise<Omit<ConversationPage, 'conversations'> & { conversations: TypedConversation<T>[] }>;
    /** Loads the next page of the list into the store; false when there is no more. */
    loadMore(): Promise<boolean>;
    /** The direct conversation with a user, created on first use. */
    open(options: { with: string }): Promise<TypedConversation<T>>;
    /** A group (or the direct conversation, with one id and no title); `metadata` is stored only on a new one. */
    create(options: { participantIds: string[]; title?: string; metadata?: ConversationMetadataOf<T> }): Promise<TypedConversation<T>>;
    get(id: string): Promise<TypedConversation<T>>;
    /** Renames a group (its admins only: 403 otherwise). */
    rename(id: string, title: string): Promise<TypedConversation<T>>;
    /** Adds people to a group (admins); those in it already are skipped. */
    addParticipants(id: string, userIds: string[]): Promise<TypedConversation<T>>;
    /** Removes someone from a group (admins), or leaves it (your own id: the conversation leaves the store). */
    removeParticipant(id: string, userId: string): Promise<void>;
  };
  users: {
    /**
     * People to start a conversation with (`GET /users`), best match first: id, name and avatar;
     * never yourself or users blocked either way. 404 `not_found` when the server turned it off.
     *
     * @example
     * const { users } = await client.users.search('ann');
     * await client.conversations.open({ with: users[0].id });
     */
    search(q: string, options?: { limit?: number }): Promise<UserSearchResponse>;
  };
  messages: {
    /** The latest page into the store (or, when already loaded, everything since the last known message). */
    load(conversationId: string): Promise<void>;
    /** The page before the oldest loaded message; false when there is no more. */
    loadOlder(conversationId: string): Promise<boolean>;
    /**
     * Shows the message at once and sends it (in order, one in flight per conversation). With
     * `files`, each is checked against the server's limits, uploaded (progress in `files[i].loaded`
     * and the `upload` event), then attached to the message.
     */
    send(conversationId: string, body: string | SendInput<T>): LocalMessage<T>;
    /** Sends a failed message again, with the same clientId (the server never stores it twice). */
    retry(clientId: string): void;
    /**
     * Drops a failed (or not yet sent) message; false when it is unknown or already in flight. A
     * message still uploading its files is cancelled: the uploads abort and nothing is sent.
     */
    discard(clientId: string): boolean;
    /**
     * Edits the body of one's own message: shown at once (with `editedAt`), rolled back when the
     * server refuses (the promise then rejects with the reason). Edits, deletes, reactions and pins
     * go out one at a time, in order. Offline (no answer, 503, 429) the change stays shown and waits
     * in a queue kept in `storage` (across reloads too) until the connection is back; the promise
     * resolves once the server applied it, so do not block the UI on it (docs/client.md#offline-changes).
     */
    edit(conversationId: string, messageId: string, body: string, options?: { metadata?: MessageMetadataOf<T> }): Promise<void>;
    /** Deletes a message for everyone (one's own; an admin's: anyone's), optimistic and queued offline like `edit`. */
    delete(conversationId: string, messageId: string): Promise<void>;
    /**
     * Adds the user's `emoji` to a message, or takes it back when they already reacted with it;
     * optimistic and queued offline like `edit` (as its final state: toggled twice offline sends nothing).
     */
    toggleReaction(conversationId: string, messageId: string, emoji: string): Promise<void>;
    /**
     * A page of the replies in the thread of `rootId` into `state.threads[rootId]`: the latest, or
     * those before seq `before`. Replies that arrive later (realtime or the user's own) join it.
     *
     * @example
     * await client.messages.loadThread(id, rootId);
     * const { root, messages, hasOlder } = client.store.getSnapshot().threads![rootId]!;
     * if (hasOlder) await client.messages.loadThread(id, rootId, { before: messages[0]!.seq! });
     */
    loadThread(conversationId: string, rootId: string, options?: { before?: number; limit?: number }): Promise<ThreadPage>;
    /** The conversation's pinned messages, latest pinned first. */
    pins(conversationId: string): Promise<TypedMessage<T>[]>;
    /**
     * Pins a message (group admins; either side of a direct conversation): `pinnedAt` shows at once,
     * rolled back on a refusal; queued offline like `edit`. Resolves with the server's copy.
     */
    pin(conversationId: string, messageId: string): Promise<TypedMessage<T>>;
    unpin(conversationId: string, messageId: string): Promise<TypedMessage<T>>;
    /** Every body the message had, oldest first (empty for a deleted message). */
    versions(conversationId: string, messageId: string): Promise<MessageVersion[]>;
  };
  /**
   * Full-text search of the messages the user may read, best match first (`GET /search`): pass
   * `nextCursor` as `cursor` for more. Snippets are text with `highlights` ranges (docs/search.md).
   *
   * @example
   * const { results } = await client.search('invoice', { conversationId });
   */
  search(q: string, options?: { conversationId?: string; cursor?: string | null; limit?: number }): Promise<SearchResponse>;
  /**
   * Block, mute and report for the user (docs/moderation.md); the store follows once the server
   * confirms (`blocked`, `muted` on the conversation).
   *
   * @example
   * await client.moderation.report(conversationId, messageId, 'spam');
   */
  moderation: ClientModeration;
  /** Moves the user's read cursor forward (to `seq`, default the latest message). */
  markRead(conversationId: string, seq?: number): Promise<void>;
  /**
   * The UI showed message `seq` on screen (call it from an IntersectionObserver). In `'seen'` mode the
   * cursor follows these reports only (debounced, forward, while the page is visible and focused).
   */
  markSeen(conversationId: string, seq: number): void;
  /** Switches the read receipt mode at run time (a UI given a client it did not create). */
  setReadReceipts(mode: ReadReceiptMode): void;
  /** The conversation on screen: its presence channel is joined and arriving messages are marked read. */
  setActiveConversation(conversationId: string | null): void;
  /** Tells the others the user is typing (throttled: call it on every keystroke). */
  typing(conversationId: string): void;
  on<E extends ChatClientEventName>(event: E, handler: (payload: ChatClientEvents<T>[E]) => void): Subscription;
  /** Disconnects and stops every timer; the store keeps its last state. */
  close(): void;
}

/** `client.moderation`: what a user does for themself (docs/moderation.md). */
export interface ClientModeration {
  /** No direct conversation and no messages either way; the direct conversation reads `blocked`. */
  block(userId: string): Promise<void>;
  /** Lifts the caller's own block (a block the other made stays). */
  unblock(userId: string): Promise<void>;
  /** The users the caller blocked, newest first. */
  blocks(): Promise<BlocksResponse['blocks']>;
  /** No unread badge and no notification for the caller; unread still counts. */
  mute(conversationId: string): Promise<void>;
  unmute(conversationId: string): Promise<void>;
  /** Reports another participant's message to the host (once per message; a repeat is no error). */
  report(conversationId: string, messageId: string, reason: string): Promise<ReportResponse['report']>;
}

/** Alias of {@link ChatClientOptions} (the name the widget uses). */
export type CreateChatClientOptions = ChatClientOptions;
