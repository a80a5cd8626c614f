import type { LocalMessage } from '@banter/core';
import { useMemo } from 'react';
import { useChatClient } from './context';

export interface SendMessageActions {
  /** Shows the message at once (status `sending`) and sends it; returns the local copy. */
  send(conversationId: string, body: string): LocalMessage;
  /** Sends a failed message again with the same clientId (never stored twice). */
  retry(clientId: string): void;
  /** Drops a failed or queued message; false when it is unknown or already in flight. */
  discard(clientId: string): boolean;
}

/**
 * Optimistic sending. The functions are stable for a client, so they never cause a re-render;
 * calling them before the provider has a client throws.
 *
 * @example
 * const { send, retry } = useSendMessage();
 * <form onSubmit={(e) => { e.preventDefault(); send(id, text); setText(''); }}>...</form>
 * {message.status === 'failed' && <button onClick={() => retry(message.clientId)}>Retry</button>}
 */
export function useSendMessage(): SendMessageActions {
  const client = useChatClient();
  return useMemo(() => {
    const need = () => {
      if (!client) throw new Error('useSendMessage: the Banter client does not exist yet (server render or before the provider mounted)');
      return client;
    };
    return {
      send: (conversationId, body) => need().messages.send(conversationId, body),
      retry: (clientId) => need().messages.retry(clientId),
      discard: (clientId) => need().messages.discard(clientId),
    };
  }, [client]);
}
