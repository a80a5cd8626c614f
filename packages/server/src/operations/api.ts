import type { Conversation, ConversationPage, Message, MessagePage, ReadResponse, SearchResponse, User } from '@banter/core/protocol';
import { userIdSchema } from '@banter/core/protocol';
import type { CreateUserTokenOptions } from '../auth/tokens';
import { ApiError } from '../errors/api-error';
import type { Transaction } from 'kysely';
import type { DB } from '../db/types';
import { bindToTransaction, type HostTransaction } from '../ownership/host-transaction';
import { invokeOperation } from './invoke';
import type { OperationName, Operations } from './index';
import type { Actor, Operation, OperationContext } from './types';

/** Who a `chat.api.call` acts as: a user id (the host acting for that user), or the system. */
export type ApiActor = string | { system: true; id?: string };

/** What a host call passes: the host's looser input where the operation has one. */
type InputOf<N extends OperationName> = Operations[N] extends Operation<infer _I, infer _O, infer _In, infer H> ? H : never;
type OutputOf<N extends OperationName> = Awaited<ReturnType<Operations[N]['run']>>;

/** In-process calls for the host's backend: no HTTP, no token; the host says who acts. */
export interface ChatApi {
  upsertUser(user: { id: string; name?: string | null; avatarUrl?: string | null }): Promise<User>;
  createConversation(input: { createdBy: string; participantIds: string[]; title?: string }): Promise<{
    conversation: Conversation;
    created: boolean;
  }>;
  /** As a participant (`senderId`), or as a system sender (`system: true`, id default `system`). */
  sendMessage(input: {
    conversationId: string;
    body: string;
    senderId?: string;
    system?: boolean;
    clientId?: string;
  }): Promise<{ message: Message; created: boolean }>;
  createUserToken(userId: string, options: CreateUserTokenOptions): Promise<string>;
  /** Null when the conversation does not exist or the user is not in it. */
  getConversation(userId: string, conversationId: string): Promise<Conversation | null>;
  listConversations(userId: string, options?: { limit?: number; cursor?: string }): Promise<ConversationPage>;
  /** Null when the conversation does not exist or the user is not in it. */
  listMessages(
    userId: string,
    conversationId: string,
    options?: { limit?: number; before?: number; after?: number },
  ): Promise<MessagePage | null>;
  markRead(userId: string, conversationId: string, seq?: number): Promise<ReadResponse>;
  /** Full-text search of the messages `userId` may read (docs/search.md). */
  search(userId: string, q: string, options?: { conversationId?: string; cursor?: string; limit?: number }): Promise<SearchResponse>;
  /**
   * Run any operation of the table by name, as a user or as the system: the same validation,
   * rules and errors as its HTTP route. New operations are reachable here the moment they exist.
   *
   * @example
   * ```ts
   * await chat.api.call('markRead', 'alice', { conversationId, seq: 4 });
   * await chat.api.call('sendMessage', { system: true }, { conversationId, body: 'Welcome!' });
   * ```
   */
  call<N extends OperationName>(name: N, actor: ApiActor, input: InputOf<N>): Promise<OutputOf<N>>;
  /** Erase a user: messages (deleted, or `tombstone`), uploads and files, cursors, outbox rows, profile. */
  eraseUser(userId: string, options?: { mode?: 'delete' | 'tombstone' }): Promise<OutputOf<'eraseUser'>>;
  /** Scan every table and the file storage for what remains of a user. */
  verifyErasure(userId: string): Promise<OutputOf<'verifyErasure'>>;
  /** Everything Banter holds of a user (GDPR access), uploads as signed links. */
  exportUser(userId: string, options?: { linkSeconds?: number }): Promise<OutputOf<'exportUser'>>;
  /** Delete messages past their retention now, in bounded batches. */
  applyRetention(options?: InputOf<'applyRetention'>): Promise<OutputOf<'applyRetention'>>;
  /** A conversation's own retention in days; null: the app's. */
  setConversationRetention(conversationId: string, days: number | null): Promise<OutputOf<'setConversationRetention'>>;
  /** Moderation (docs/moderation.md): the reports users made, newest first, with cursor paging. */
  listReports(options?: InputOf<'listReports'>): Promise<OutputOf<'listReports'>>;
  /** Delete any message as the host (moderation): the same delete and events as the author's. */
  deleteMessage(conversationId: string, messageId: string): Promise<OutputOf<'deleteMessage'>>;
  /** Ban a user from the app (no `conversationId`) or one conversation: their tokens get 403 there. */
  banUser(userId: string, options?: { conversationId?: string; reason?: string }): Promise<OutputOf<'banUser'>>;
  unbanUser(userId: string, options?: { conversationId?: string }): Promise<OutputOf<'unbanUser'>>;
  /** Slow mode: one message per `seconds` per member (admins exempt); 0 turns it off. */
  setSlowMode(conversationId: string, seconds: number): Promise<OutputOf<'setSlowMode'>>;
  /**
   * The same api, bound to a transaction the host opened (a kysely `Transaction`, or a `pg` client
   * after `BEGIN`): Banter's writes commit or roll back with the host's own, and events leave
   * through the outbox only after the host's commit.
   *
   * @example
   * ```ts
   * await db.transaction().execute(async (trx) => {
   *   await trx.updateTable('orders').set({ status: 'shipped' }).where('id', '=', orderId).execute();
   *   await chat.api.withTransaction(trx).sendMessage({ conversationId, system: true, body: 'Your order shipped' });
   * });
   * ```
   */
  withTransaction(transaction: HostTransaction): ChatApi;
  /**
   * Run `fn` in a transaction of Banter's own database connection, with the api bound to it; the
   * dispatcher is woken at once after the commit (also on PGlite, which has no NOTIFY).
   */
  transaction<T>(fn: (api: ChatApi, trx: Transaction<DB>) => Promise<T>): Promise<T>;
}

/**
 * `chat.api`, derived from the operations table: each method only maps its arguments onto an
 * actor and an input, then runs the operation as the HTTP route does.
 *
 * @example
 * ```ts
 * const api = createChatApi(operations, () => ({ state, meta: {}, via: 'api' }));
 * await api.markRead('alice', conversationId);
 * ```
 */
export function createChatApi(
  table: Operations,
  context: () => OperationContext,
  around: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn(),
): ChatApi {
  const call = async <N extends OperationName>(name: N, actor: ApiActor | Actor, input: InputOf<N>): Promise<OutputOf<N>> =>
    (await around(() => invokeOperation(table[name] as never, context(), toActor(actor), input))) as OutputOf<N>;
  const withTransaction = (transaction: HostTransaction): ChatApi => {
    const bound = bindToTransaction(context().state, transaction);
    return createChatApi(table, () => ({ ...context(), state: bound.state }), bound.run);
  };
  const orNull = <T>(promise: Promise<T>): Promise<T | null> =>
    promise.catch((error) => (error instanceof ApiError && error.code === 'not_found' ? null : Promise.reject(error)));
  return {
    upsertUser: (user) => call('upsertUser', { system: true }, user),
    createConversation: ({ createdBy, ...input }) => call('createConversation', createdBy, input),
    sendMessage({ senderId, system, ...input }) {
      if (system) return call('sendMessage', { system: true, id: senderId ?? 'system' }, input);
      if (senderId === undefined) {
        return Promise.reject(new ApiError('validation_failed', 'invalid input; give senderId, or system: true'));
      }
      return call('sendMessage', senderId, input);
    },
    createUserToken: (userId, options) => call('createUserToken', { system: true }, { userId, ...options }),
    getConversation: (userId, conversationId) => orNull(call('getConversation', userId, { conversationId })),
    listConversations: (userId, options = {}) => call('listConversations', userId, options),
    listMessages: (userId, conversationId, options = {}) => orNull(call('listMessages', userId, { ...options, conversationId })),
    markRead: (userId, conversationId, seq) => call('markRead', userId, { conversationId, seq }),
    search: (userId, q, options = {}) => call('search', userId, { ...options, q }),
    call,
    eraseUser: (userId, options = {}) => call('eraseUser', { system: true }, { userId, ...options }),
    verifyErasure: (userId) => call('verifyErasure', { system: true }, { userId }),
    exportUser: (userId, options = {}) => call('exportUser', { system: true }, { userId, ...options }),
    applyRetention: (options = {}) => call('applyRetention', { system: true }, options),
    setConversationRetention: (conversationId, days) => call('setConversationRetention', { system: true }, { conversationId, days }),
    listReports: (options = {}) => call('listReports', { system: true }, options),
    deleteMessage: (conversationId, messageId) => call('deleteMessage', { system: true }, { conversationId, messageId }),
    banUser: (userId, options = {}) => call('banUser', { system: true }, { userId, ...options }),
    unbanUser: (userId, options = {}) => call('unbanUser', { system: true }, { userId, ...options }),
    setSlowMode: (conversationId, seconds) => call('setSlowMode', { system: true }, { conversationId, seconds }),
    withTransaction,
    async transaction(fn) {
      const { state } = context();
      const result = await state.database.kysely.transaction().execute((trx) => fn(withTransaction(trx), trx));
      // Committed: wake the dispatcher now and remove files an erasure queued.
      state.store.onEventsCommitted();
      void state.ownership?.drainFileDeletions().catch(() => 0);
      return result;
    },
  };
}

function toActor(actor: ApiActor | Actor): Actor {
  if (typeof actor === 'string') return { kind: 'host', id: parseUserId(actor) };
  if ('kind' in actor) return actor;
  return { kind: 'system', id: parseUserId(actor.id ?? 'system') };
}

function parseUserId(id: unknown): string {
  const result = userIdSchema.safeParse(id);
  if (!result.success) throw new ApiError('validation_failed', `invalid user id ${JSON.stringify(id)}; ${result.error.issues[0]?.message}`);
  return result.data;
}
