import type { ChatState, ConversationState, ThreadState } from '../chat-state';

/**
 * The loaded threads of conversation `id` changed by the same rule as the conversation itself (an
 * edit, a deletion, a reaction, `thread.updated` on the root): the rule sees a thread's root and
 * replies as a conversation's messages. The same state when nothing changed.
 */
export function withThreads(state: ChatState, id: string, change: (cs: ConversationState) => ConversationState): ChatState {
  let threads = state.threads;
  for (const [rootId, t] of Object.entries(threads ?? {})) {
    if (t.conversationId !== id || !t.root) continue;
    const messages = [t.root, ...t.messages];
    // No list preview to keep: an empty conversation stands in for the thread's.
    const next = change({ messages, conversation: {} } as unknown as ConversationState).messages;
    if (next !== messages) threads = { ...threads, [rootId]: { ...t, root: next[0]!, messages: next.slice(1) } as ThreadState };
  }
  return threads === state.threads ? state : { ...state, threads };
}
