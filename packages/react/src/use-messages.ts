import { type LocalMessage, selectConversation, selectMessages } from '@banter/core';
import { useCallback, useEffect } from 'react';
import { useChatClient } from './context';
import { type LoadState, useLoad } from './use-load';
import { shallowEqual, useChatSelector } from './use-chat-selector';

export interface MessagesOptions {
  /**
   * The conversation is on screen (default true): its presence channel is joined (typing,
   * online) and arriving messages are marked read. Pass false for a preview or a second pane.
   */
  active?: boolean;
}

export interface MessagesResult extends LoadState {
  /** Confirmed messages by seq, then pending and failed ones; key them by `clientId`. */
  messages: LocalMessage[];
  /** Older messages exist on the server. */
  hasOlder: boolean;
  /** A `loadOlder` is in flight. */
  loadingOlder: boolean;
  /** Loads the page before the oldest loaded message; resolves false at the start of the history. */
  loadOlder(): Promise<boolean>;
}

/**
 * A conversation's messages, live: loads the latest page (and, when it was loaded before,
 * everything since), and marks the conversation active while the component is mounted.
 * Re-renders only when this conversation's messages or paging state changed.
 *
 * @example
 * const { messages, hasOlder, loadOlder } = useMessages(id);
 * return <>
 *   {hasOlder && <button onClick={() => loadOlder()}>Older</button>}
 *   {messages.map((m) => <p key={m.clientId}>{m.body} <small>{m.status}</small></p>)}
 * </>;
 */
export function useMessages(conversationId: string, options: MessagesOptions = {}): MessagesResult {
  const client = useChatClient();
  const active = options.active ?? true;
  const slice = useChatSelector((state) => {
    const cs = selectConversation(state, conversationId);
    return {
      messages: selectMessages(state, conversationId),
      loaded: cs?.loaded ?? false,
      hasOlder: cs?.hasOlder ?? false,
      loadingOlder: cs?.loadingOlder ?? false,
    };
  }, shallowEqual);
  const load = useLoad(client, conversationId, (c) => c.messages.load(conversationId));

  useEffect(() => {
    if (!client || !active) return;
    client.setActiveConversation(conversationId);
    return () => {
      // Another component may have made a different conversation active meanwhile.
      if (client.store.getSnapshot().activeConversationId === conversationId) client.setActiveConversation(null);
    };
  }, [client, conversationId, active]);

  const loadOlder = useCallback(
    () => (client ? client.messages.loadOlder(conversationId) : Promise.resolve(false)),
    [client, conversationId],
  );
  const { loaded, ...rest } = slice;
  // A store that holds the latest page already (loaded on a server, or earlier) is not loading.
  return { ...rest, error: load.error, loading: load.loading && !loaded, loadOlder };
}
