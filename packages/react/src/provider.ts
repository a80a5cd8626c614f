import { type ChatClient, type ChatClientOptions, createChatClient } from '@banter/core';
import { createElement, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { BanterContext } from './context';

export interface BanterProviderProps {
  /** A client you created (and close) yourself; null renders the hooks' empty state. */
  client?: ChatClient | null;
  /**
   * Or options for a client the provider creates in the browser after mounting and closes on
   * unmount (never during server rendering). Read once: remount the provider (a `key`) to change them.
   */
  options?: ChatClientOptions;
  children?: ReactNode;
}

/**
 * Makes a Banter chat client available to the hooks below it. Renders no element of its own.
 *
 * @example
 * const client = createChatClient({ url: '/api', getToken: fetchBanterToken });
 * root.render(<BanterProvider client={client}><Inbox /></BanterProvider>);
 *
 * @example
 * // Server rendering: the client is created in the browser, after hydration.
 * <BanterProvider options={{ url: '/api/chat', getToken }}><Chat /></BanterProvider>
 */
export function BanterProvider({ client, options, children }: BanterProviderProps): ReactNode {
  if (client !== undefined && options) throw new Error('BanterProvider: pass either client or options, not both');
  const own = useOwnClient(client === undefined ? options : undefined);
  const current = client === undefined ? own : client;
  const value = useMemo(() => ({ client: current }), [current]);
  return createElement(BanterContext.Provider, { value }, children);
}

/** A client made from options inside an effect, so that server rendering and StrictMode never leak one. */
function useOwnClient(options: ChatClientOptions | undefined): ChatClient | null {
  const [client, setClient] = useState<ChatClient | null>(null);
  // The first options win: a new object literal on every render must not reconnect.
  const initial = useRef(options);
  useEffect(() => {
    if (!initial.current) return;
    const created = createChatClient(initial.current);
    setClient(created);
    return () => {
      created.close();
      setClient(null);
    };
  }, []);
  return client;
}
