import { persisted, type ChatStorage, type Persisted } from '../storage';
import type { Drafts } from '../types';
import type { ClientContext } from './context';

/** At most this many characters of a draft are kept (a message's own limit is lower). */
const MAX_DRAFT = 20_000;

/**
 * The text being written, per conversation, kept in memory and in the client's storage so it
 * survives a reload. Loaded before `client.ready` resolves; a draft set earlier wins over the stored one.
 *
 * @example
 * const drafts = createDrafts(ctx, storage);
 * await drafts.load('banter:/api:alice:');
 * drafts.api.set(id, 'half a thought');
 */
export function createDrafts(ctx: ClientContext, storage: ChatStorage) {
  const drafts = new Map<string, string>();
  const changed = new Set<string>();
  let box: Persisted<Record<string, string>> | null = null;

  const write = (ids: Iterable<string>) => {
    const entries = [...ids].map((id) => [id, drafts.get(id) ?? ''] as const);
    // Read, change, write: another tab's drafts of other conversations stay.
    box?.update((stored = {}) => {
      const next = { ...stored };
      for (const [id, text] of entries) {
        if (text) next[id] = text;
        else delete next[id];
      }
      return Object.keys(next).length ? next : undefined;
    });
  };

  const api: Drafts = {
    get: (id) => drafts.get(id) ?? '',
    set(id, text) {
      const value = text.slice(0, MAX_DRAFT);
      if ((drafts.get(id) ?? '') === value) return;
      if (value) drafts.set(id, value);
      else drafts.delete(id);
      if (box) write([id]);
      else changed.add(id);
    },
  };

  return {
    api,
    async load(prefix: string) {
      box = persisted<Record<string, string>>(storage, `${prefix}drafts`, (e) => ctx.report(e));
      const stored = (await box.read()) ?? {};
      for (const id in stored) if (!changed.has(id) && typeof stored[id] === 'string') drafts.set(id, stored[id]);
      if (changed.size) write(changed);
      changed.clear();
    },
  };
}
