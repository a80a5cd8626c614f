import { type ConversationState, selectConversation, selectConversationList } from '@banter/core';
import { useCallback } from 'react';
import { useChatClient } from './context';
import { loadOnce } from './load-once';
import { type LoadState, useLoad } from './use-load';
import { shallowEqual, useChatSelector } from './use-chat-selector';

export interface ConversationsResult extends LoadState {
  /** Latest activity first, each with `lastMessage` and `conversation.unreadCount`. */
  conversations: ConversationState[];
  /** More pages exist on the server. */
  hasMore: boolean;
  /** Loads the next page into the list; resolves false when there is none left. */
  loadMore(): Promise<boolean>;
}

/**
 * The signed-in user's conversation list, kept current in real time. The first page is loaded
 * once per client, however many components use the hook. Re-renders only when the list changed.
 *
 * @example
 * const { conversations, hasMore, loadMore } = useConversations();
 * conversations.map((c) => <li key={c.conversation.id}>{c.conversation.title} ({c.conversation.unreadCount})</li>);
 */
export function useConversations(): ConversationsResult {
  const client = useChatClient();
  const slice = useChatSelector((state) => ({ conversations: selectConversationList(state), hasMore: state.listHasMore }), shallowEqual);
  const load = useLoad(client, 'list', (c) => loadOnce(c, 'list', () => c.conversations.list()));
  const loadMore = useCallback(() => (client ? client.conversations.loadMore() : Promise.resolve(false)), [client]);
  return { ...slice, ...load, loadMore };
}

export interface ConversationResult extends LoadState {
  /** The conversation's state in the store (server view, messages, typing...); null until known. */
  conversation: ConversationState | null;
}

/**
 * One conversation, fetched when the store does not hold it yet. Re-renders only when that
 * conversation changed. An unknown id (or one the user is not in) ends with `error.code` `not_found`.
 *
 * @example
 * const { conversation, error } = useConversation(id);
 * if (error) return <p>{error.message}</p>;
 * return <h2>{conversation?.conversation.title ?? 'Direct chat'}</h2>;
 */
export function useConversation(conversationId: string): ConversationResult {
  const client = useChatClient();
  const conversation = useChatSelector((state) => selectConversation(state, conversationId));
  const load = useLoad(client, conversationId, (c) =>
    selectConversation(c.store.getSnapshot(), conversationId)
      ? Promise.resolve()
      : loadOnce(c, `conversation:${conversationId}`, () => c.conversations.get(conversationId)),
  );
  return { conversation, ...load, loading: load.loading && !conversation };
}
