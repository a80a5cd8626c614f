/**
 * Where the client keeps what must survive a reload or a crash: the send queue and the drafts.
 * The shape of the Web Storage API, so `localStorage` and `sessionStorage` fit as they are; an
 * asynchronous store (IndexedDB, React Native's AsyncStorage) returns promises.
 */
export interface ChatStorage {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

/**
 * A storage that lives as long as the process: the default in Node and wherever `localStorage`
 * is missing or refused; also the way to keep nothing on a shared device.
 *
 * @example
 * const client = createChatClient({ url, token, storage: memoryStorage() });
 */
export function memoryStorage(): ChatStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/**
 * `localStorage` when the page may use it (it throws in sandboxed frames and some private modes),
 * otherwise {@link memoryStorage}. Read when a client is created, never at import.
 *
 * @example
 * const storage = defaultStorage();
 */
export function defaultStorage(): ChatStorage {
  try {
    const local = globalThis.localStorage;
    const probe = '__banter__';
    local.setItem(probe, probe);
    local.removeItem(probe);
    return local;
  } catch {
    return memoryStorage();
  }
}

/**
 * One JSON value under one key, written through: with a synchronous storage (localStorage) an
 * update is on disk before `update` returns, so a crash right after loses nothing; updates of
 * an asynchronous one run one after another. A storage that fails (quota, a closed database, bad
 * JSON) is reported, never thrown.
 *
 * @example
 * const drafts = persisted<Record<string, string>>(storage, 'banter:alice:drafts', report);
 * drafts.update((all = {}) => ({ ...all, [id]: text }));
 */
export function persisted<T>(storage: ChatStorage, key: string, report: (error: unknown) => void) {
  let busy: Promise<unknown> | null = null;
  const parse = (text: string | null) => (text ? (JSON.parse(text) as T) : undefined);
  /** Runs `step`, reporting instead of throwing; stays synchronous unless `step` returns a promise. */
  const guard = <R>(step: () => R | Promise<R>, fallback: R): R | Promise<R> => {
    try {
      const out = step();
      return out instanceof Promise ? out.catch((error) => (report(error), fallback)) : out;
    } catch (error) {
      report(error);
      return fallback;
    }
  };
  const then = <A, B>(value: A | Promise<A>, next: (a: A) => B | Promise<B>) => (value instanceof Promise ? value.then(next) : next(value));
  const read = (): T | undefined | Promise<T | undefined> => guard(() => then(storage.getItem(key), parse), undefined);
  return {
    read: async () => read(),
    /** Stores what `change` makes of the stored value (removes the key for undefined). */
    update(change: (stored: T | undefined) => T | undefined): void {
      const run = () =>
        then(read(), (stored) =>
          guard(() => {
            const next = change(stored);
            return next === undefined ? storage.removeItem(key) : storage.setItem(key, JSON.stringify(next));
          }, undefined),
        );
      const track = (pending: Promise<unknown>) => {
        const mine: Promise<unknown> = pending.finally(() => {
          if (busy === mine) busy = null;
        });
        busy = mine;
      };
      const out = busy ? busy.then(run) : run();
      if (out instanceof Promise) track(out);
    },
  };
}

/** A JSON value under one key of a {@link ChatStorage} (see {@link persisted}). */
export type Persisted<T> = ReturnType<typeof persisted<T>>;
