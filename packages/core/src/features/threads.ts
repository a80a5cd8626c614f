import type { ChatState, LocalMessage, ThreadState } from '../chat-state';
import { callOf } from '../http';
import type { MessageVersionsResponse } from '../protocol/lifecycle';
import type { Message } from '../protocol/schemas';
import type { PinsResponse, ThreadPage } from '../protocol/threads';
import type { ClientContext } from './context';

/*
 * Thread pages, pin lists and versions (issue 14): `client.messages.loadThread`, `pins`, `versions`
 * (pin and unpin are message changes: message-lifecycle.ts). Loaded on first use (the script tag
 * ships it as widget.core-threads.js). A loaded thread lives in `state.threads[rootId]`; confirmed
 * replies join it through the client's `message` event (realtime, the user's own sends, gap fills:
 * once each), and edits, deletions, reactions and `thread.updated` reach it through
 * message-lifecycle.ts (thread-patch.ts).
 */

const enc = encodeURIComponent;
const messagePath = (id: string, messageId: string, rest: string) => `/conversations/${enc(id)}/messages/${enc(messageId)}${rest}`;

/** `replies` merged into the thread's, by id (a copy already there stays: events keep it current), seq ascending. */
export function mergeReplies(t: ThreadState, replies: Message[]): ThreadState {
  const known = new Set(t.messages.map((m) => m.id));
  const added = replies.filter((m) => !known.has(m.id)).map((m): LocalMessage => ({ ...m, clientId: m.clientId ?? m.id, status: 'sent' }));
  return added.length ? { ...t, messages: [...t.messages, ...added].sort((a, b) => a.seq! - b.seq!) } : t;
}

/** The thread of `rootId` changed (an empty one, loading, when it is new). */
function setThread(state: ChatState, conversationId: string, rootId: string, change: (t: ThreadState) => ThreadState): ChatState {
  const t = state.threads?.[rootId] ?? { conversationId, root: null, messages: [], hasOlder: false, loading: true };
  const next = change(t);
  return next === t ? state : { ...state, threads: { ...state.threads, [rootId]: next } };
}

export function createThreads(ctx: ClientContext) {
  const call = callOf(ctx.http, 'client.messages.loadThread');
  const set = (id: string, rootId: string, change: (t: ThreadState) => ThreadState) =>
    ctx.dispatch((s) => setThread(s, id, rootId, change));
  // A reply to a loaded thread joins it (the client emits each confirmed message once).
  ctx.events.on('message', ({ conversationId, message }) => {
    if (message.threadId && ctx.snapshot().threads?.[message.threadId])
      set(conversationId, message.threadId, (t) => mergeReplies(t, [message]));
  });
  return {
    async loadThread(id: string, rootId: string, options: { before?: number; limit?: number } = {}): Promise<ThreadPage> {
      set(id, rootId, (t) => ({ ...t, loading: true }));
      const query = Object.entries(options)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${v}`)
        .join('&');
      try {
        const page = await call<ThreadPage>('GET', messagePath(id, rootId, `/thread${query ? `?${query}` : ''}`));
        set(id, rootId, (t) => {
          const first = t.messages[0]?.seq;
          // Only an older page, or the latest one not reaching what is loaded, says what is older.
          const reaches = first != null && page.messages.some((m) => m.seq <= first);
          const hasOlder = options.before !== undefined || !t.root || !reaches ? page.hasMore : t.hasOlder;
          const root: LocalMessage = { ...t.root, ...page.root, clientId: page.root.clientId ?? page.root.id, status: 'sent' };
          return { ...mergeReplies(t, page.messages), root, hasOlder, loading: false };
        });
        return page;
      } catch (error) {
        set(id, rootId, (t) => ({ ...t, loading: false }));
        throw error;
      }
    },
    pins: async (id: string) => (await call<PinsResponse>('GET', `/conversations/${enc(id)}/pins`)).messages,
    versions: async (id: string, messageId: string) =>
      (await call<MessageVersionsResponse>('GET', messagePath(id, messageId, '/versions'))).versions,
  };
}
