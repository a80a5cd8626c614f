import { type BanterError, type ChatClient, toBanterError } from '@banter/core';
import { useEffect, useState } from 'react';

/** The state of a request a hook makes when it mounts. */
export interface LoadState {
  /** True until the first answer (also while there is no client yet). */
  loading: boolean;
  /** Why it failed (a `BanterError`: `not_found`, `forbidden`, `network`...); null otherwise. */
  error: BanterError | null;
}

/** Runs `run(client)` when the client or `key` changes and tracks its outcome for rendering. */
export function useLoad(client: ChatClient | null, key: string, run: (client: ChatClient) => Promise<unknown>): LoadState {
  const [state, setState] = useState<LoadState & { for: unknown }>({ loading: true, error: null, for: null });
  const token = client ? `${key}` : null;
  useEffect(() => {
    if (!client) return;
    let live = true;
    setState({ loading: true, error: null, for: client });
    run(client).then(
      () => live && setState({ loading: false, error: null, for: client }),
      (error: unknown) => live && setState({ loading: false, error: toBanterError(error), for: client }),
    );
    return () => {
      live = false;
    };
    // `run` is a new closure each render; what it loads is named by the client and key.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, token]);
  // A state left from another client counts as not loaded yet.
  return state.for === client ? { loading: state.loading, error: state.error } : { loading: true, error: null };
}
