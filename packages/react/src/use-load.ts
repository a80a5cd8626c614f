import { type BanterError, type ChatClient, toBanterError } from '@banter/core';
import { useEffect, useRef, useState } from 'react';

/** The state of a request a hook makes when it mounts. */
export interface LoadState {
  /** True until the first answer (also while there is no client yet). */
  loading: boolean;
  /** Why it failed (a `BanterError`: `not_found`, `forbidden`, `network`...); null otherwise. */
  error: BanterError | null;
}

interface Tracked extends LoadState {
  client: ChatClient | null;
  key: string | null;
}

/** Runs `run(client)` when the client or `key` changes and tracks its outcome for rendering. */
export function useLoad(client: ChatClient | null, key: string, run: (client: ChatClient) => Promise<unknown>): LoadState {
  const [state, setState] = useState<Tracked>({ loading: true, error: null, client: null, key: null });
  // `run` is a new closure each render; what it loads is named by the client and the key.
  const latest = useRef(run);
  latest.current = run;
  useEffect(() => {
    if (!client) return;
    let live = true;
    setState({ loading: true, error: null, client, key });
    latest.current(client).then(
      () => live && setState({ loading: false, error: null, client, key }),
      (error: unknown) => live && setState({ loading: false, error: toBanterError(error), client, key }),
    );
    return () => {
      live = false;
    };
  }, [client, key]);
  // A state left from another client or key counts as not loaded yet.
  return state.client === client && state.key === key ? { loading: state.loading, error: state.error } : { loading: true, error: null };
}
