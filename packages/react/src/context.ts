import type { ChatClient } from '@banter/core';
import { createContext, useContext } from 'react';

/** What BanterProvider shares: the client, or null while there is none yet (server render, first paint). */
export interface BanterContextValue {
  client: ChatClient | null;
}

export const BanterContext = createContext<BanterContextValue | null>(null);

/**
 * The chat client of the nearest BanterProvider: the escape hatch to everything the hooks do not
 * cover (`client.markRead`, `client.on('message', ...)`, `client.conversations.create`...).
 * Null while the provider has no client yet: during server rendering and, with `options`, until
 * the provider's effect created it in the browser. Throws outside a BanterProvider.
 *
 * @example
 * const client = useChatClient();
 * useEffect(() => client?.on('message', ({ message }) => notify(message)).unsubscribe, [client]);
 */
export function useChatClient(): ChatClient | null {
  const value = useContext(BanterContext);
  if (!value) throw new Error('useChatClient: no <BanterProvider> above this component; wrap your chat UI in one');
  return value.client;
}
