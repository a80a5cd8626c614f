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

/** One user a host's `searchUsers` found; any other field is dropped. */
export interface FoundUser {
  id: string;
  name?: string | null;
  avatarUrl?: string | null;
}

/**
 * The host's own people search for `GET /users` ("New message" in the widget): the users `userId`
 * may start a conversation with, for `q`, at most `limit`. Banter keeps only id, name and avatar,
 * drops invalid ids, the caller and users blocked either way or banned, and cuts to `limit`.
 */
export type SearchUsers = (query: { q: string; limit: number; userId: string }) => FoundUser[] | Promise<FoundUser[]>;

/** What the search operations need of the server (ServerState.search). */
export interface SearchState {
  config: string;
  /** People search: the host's function, `false` (turned off: 404), or absent (Banter's users table). */
  users?: SearchUsers | false;
  /** Resolves once the index uses `config` (retries a failed sync). */
  ready(): Promise<void>;
}

/**
 * Search's part of the server: checks the options now (`search` and `searchUsers` of
 * createChatServer), syncs the index's configuration once migrations ran (`migrated`), and lets
 * each search wait for that.
 *
 * @example
 * ```ts
 * const search = createSearch(database, { search: { config: 'english' } }, gate.ready, reportError);
 * await search.ready();
 * ```
 */
export function createSearch(
  database: Database,
  options: { search?: SearchOptions; searchUsers?: SearchUsers | false },
  migrated: Promise<void>,
  onError: (error: unknown) => void,
): SearchState {
  const config = searchConfigOf(options.search?.config);
  const users = options.searchUsers;
  if (users !== undefined && users !== false && typeof users !== 'function') {
    throw new TypeError('banter: searchUsers must be a function or false');
  }
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
  return { config, ready, ...(users !== undefined ? { users } : {}) };
}
