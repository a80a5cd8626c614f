import type { Database } from '../db/create-database';
import { searchConfigOf, syncSearchConfig } from './config';

export interface SearchOptions {
  /**
   * The PostgreSQL text search configuration of the index and of queries. Default `simple`: no
   * stemming and no stopwords, so every language matches word by word; `english`, `german`, ...
   * stem ("deploys" finds "deployed"). Changing it re-indexes every message at the next start.
   */
  config?: string;
}

/** What the search operation needs of the server (ServerState.search). */
export interface SearchState {
  config: string;
  /** Resolves once the index uses `config` (retries a failed sync). */
  ready(): Promise<void>;
}

/**
 * Search's part of the server: checks the option now, syncs the index's configuration once
 * migrations ran (`migrated`), and lets each search wait for that.
 *
 * @example
 * ```ts
 * const search = createSearch(database, { config: 'english' }, gate.ready, reportError);
 * await search.ready();
 * ```
 */
export function createSearch(
  database: Database,
  options: SearchOptions | undefined,
  migrated: Promise<void>,
  onError: (error: unknown) => void,
): SearchState {
  const config = searchConfigOf(options?.config);
  let synced: Promise<void> | null = null;
  const ready = (): Promise<void> => {
    synced ??= syncSearchConfig(database, config).catch((error) => {
      synced = null;
      throw error;
    });
    return synced;
  };
  migrated.then(
    () => ready().catch(onError),
    () => {}, // a failed migration is reported by the gate
  );
  return { config, ready };
}
