import { type ConnectionState, selectUnreadTotal } from '@banter/core';
import { useChatSelector } from './use-chat-selector';

/**
 * The realtime connection: `connecting`, `connected`, `unavailable` or `offline` (`connecting`
 * while the provider has no client). Re-renders only when it changes.
 *
 * @example
 * const connection = useConnectionState();
 * {connection !== 'connected' && <div role="status">Reconnecting…</div>}
 */
export function useConnectionState(): ConnectionState {
  return useChatSelector((state) => state.connection);
}

/**
 * Unread messages: of one conversation, or over every conversation in the store (a badge).
 * Re-renders only when the number changes.
 *
 * @example
 * const unread = useUnreadCount();
 * <title>{unread ? `(${unread}) Chat` : 'Chat'}</title>
 */
export function useUnreadCount(conversationId?: string): number {
  return useChatSelector((state) =>
    conversationId === undefined ? selectUnreadTotal(state) : (state.conversations[conversationId]?.conversation.unreadCount ?? 0),
  );
}
