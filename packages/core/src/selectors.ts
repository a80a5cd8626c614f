import type { ChatMetadata } from './protocol/metadata';
import type { User } from './protocol/schemas';
import type { ChatState, ConversationState, LocalMessage } from './types';

// Each selector takes the client's state as it is typed (`ChatState<T>` of `createChatClient<T>()`)
// and hands back its messages and conversations with the host's metadata types.

const EMPTY_MESSAGES: LocalMessage[] = [];
const EMPTY_IDS: string[] = [];

let listCache: { conversations: ChatState['conversations']; order: string[]; list: ConversationState[] } | null = null;

/**
 * The conversation list, latest activity first, each with its last message and unread count.
 * Returns the same array until the list changed, so it can feed `useSyncExternalStore` directly.
 *
 * @example
 * const list = useSyncExternalStore(client.store.subscribe, () => selectConversationList(client.store.getSnapshot()));
 * list.map((c) => `${c.conversation.title}: ${c.lastMessage?.body} (${c.conversation.unreadCount})`);
 */
export function selectConversationList<T extends ChatMetadata = ChatMetadata>(state: ChatState<T>): ConversationState<T>[] {
  if (listCache && listCache.conversations === state.conversations && listCache.order === state.conversationOrder) {
    return listCache.list as ConversationState<T>[];
  }
  const list = state.conversationOrder.map((id) => state.conversations[id]!);
  listCache = { conversations: state.conversations, order: state.conversationOrder, list };
  return list;
}

/**
 * One conversation's state (null when it is not in the store).
 *
 * @example
 * const conv = selectConversation(client.store.getSnapshot(), id);
 */
export function selectConversation<T extends ChatMetadata = ChatMetadata>(
  state: ChatState<T>,
  conversationId: string,
): ConversationState<T> | null {
  return state.conversations[conversationId] ?? null;
}

/**
 * A conversation's messages: confirmed by seq, then pending/failed in send order. Stable reference.
 *
 * @example
 * for (const m of selectMessages(state, id)) render(m.clientId, m.body, m.status);
 */
export function selectMessages<T extends ChatMetadata = ChatMetadata>(state: ChatState<T>, conversationId: string): LocalMessage<T>[] {
  return state.conversations[conversationId]?.messages ?? (EMPTY_MESSAGES as LocalMessage<T>[]);
}

/**
 * The participants other than the sender whose read cursor reached `seq` ("Read by 2 of 3").
 * Returns a new array: call it while rendering, not as a `getSnapshot`.
 *
 * @example
 * const readers = selectReadBy(state, id, message.seq);
 * label = `Read by ${readers.length} of ${participants.length - 1}`;
 */
export function selectReadBy<T extends ChatMetadata = ChatMetadata>(state: ChatState<T>, conversationId: string, seq: number): User[] {
  const cs = state.conversations[conversationId];
  if (!cs) return [];
  const message = cs.messages.find((m) => m.seq === seq);
  const senderId = message?.senderId ?? state.me?.id;
  return cs.conversation.participants.filter((p) => p.user.id !== senderId && p.lastReadSeq >= seq).map((p) => p.user);
}

/**
 * Each participant's read cursor: user id -> lastReadSeq.
 *
 * @example
 * const cursors = selectReadCursors(state, id); // { alice: 12, bob: 9 }
 */
export function selectReadCursors<T extends ChatMetadata = ChatMetadata>(
  state: ChatState<T>,
  conversationId: string,
): Record<string, number> {
  const cs = state.conversations[conversationId];
  const cursors: Record<string, number> = {};
  for (const p of cs?.conversation.participants ?? []) cursors[p.user.id] = p.lastReadSeq;
  return cursors;
}

/**
 * Unread messages over every conversation in the store (a badge); muted conversations do not count.
 *
 * @example
 * document.title = `(${selectUnreadTotal(client.store.getSnapshot())}) Chat`;
 */
export function selectUnreadTotal<T extends ChatMetadata = ChatMetadata>(state: ChatState<T>): number {
  let total = 0;
  for (const id of state.conversationOrder) {
    const { conversation } = state.conversations[id]!;
    // A muted conversation keeps its own count but is no badge (docs/moderation.md).
    if (!conversation.muted) total += conversation.unreadCount;
  }
  return total;
}

/**
 * Who is typing in a conversation (user ids; stable reference).
 *
 * @example
 * const typing = selectTyping(state, id).filter((u) => u !== state.me?.id);
 */
export function selectTyping<T extends ChatMetadata = ChatMetadata>(state: ChatState<T>, conversationId: string): string[] {
  return state.conversations[conversationId]?.typing ?? EMPTY_IDS;
}

/**
 * Who is online in a conversation (presence members; only for the active conversation).
 *
 * @example
 * const online = selectOnline(state, id).includes(otherUserId);
 */
export function selectOnline<T extends ChatMetadata = ChatMetadata>(state: ChatState<T>, conversationId: string): string[] {
  return state.conversations[conversationId]?.online ?? EMPTY_IDS;
}
