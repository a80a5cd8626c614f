import type { BanterError } from './errors';
import type { Message } from './protocol/schemas';
import { toLocalMessage, updateConversation } from './reducer';
import { followCursors } from './reducer-cursors';
import type { ChatState, LocalMessage } from './types';

// Transitions of a conversation's messages: server copies merged, pending ones added, failed or
// dropped, and our own read cursor. Same rule as reducer.ts: the same state object when nothing changed.

/**
 * Merges server messages into a conversation: unique by seq, sorted, pending copies (same clientId)
 * removed, the summary (lastSeq, lastMessage, unreadCount) moved forward. `from` (a page's lower
 * bound: its first seq, or 1 when nothing is older) marks the conversation loaded from there on.
 */
export function mergeMessages(state: ChatState, conversationId: string, incoming: Message[], options: { from?: number } = {}): ChatState {
  const meId = state.me?.id;
  return updateConversation(state, conversationId, (cs) => {
    let messages = cs.messages;
    const bySeq = new Map<number, number>();
    messages.forEach((m, i) => {
      if (m.seq !== null) bySeq.set(m.seq, i);
    });
    const added: Message[] = [];
    let replaced = false;
    for (const m of incoming) {
      if (m.conversationId !== conversationId) continue;
      const at = bySeq.get(m.seq);
      if (at !== undefined) {
        const existing = messages[at]!;
        // A newer version (an edit, a deletion) replaces a known message, and so do other reactions
        // at the same one (a page read after a reconnection); a late duplicate changes nothing.
        const [v, known] = [m.version ?? 0, existing.version ?? 0];
        if (v > known || (v === known && JSON.stringify(m.reactions ?? []) !== JSON.stringify(existing.reactions ?? []))) {
          if (messages === cs.messages) messages = [...messages];
          messages[at] = toLocalMessage(m, existing.status === 'read' ? 'read' : 'sent');
          replaced = true;
        }
        continue;
      }
      if (added.some((a) => a.seq === m.seq)) continue;
      added.push(m);
    }
    const syncedFrom = options.from === undefined ? cs.syncedFrom : Math.min(options.from, cs.syncedFrom ?? options.from);
    if (added.length === 0 && !replaced && syncedFrom === cs.syncedFrom) return cs;
    let conversation = cs.conversation;
    let typing = cs.typing;
    if (added.length > 0) {
      const clientIds = new Set(added.map((m) => m.clientId).filter((c): c is string => c !== null));
      const confirmed = messages.filter((m) => m.seq !== null);
      const pending = messages.filter((m) => m.seq === null && !clientIds.has(m.clientId));
      for (const m of added) confirmed.push(toLocalMessage(m));
      confirmed.sort((a, b) => a.seq! - b.seq!);
      messages = confirmed.concat(pending);

      let { lastSeq, lastMessage, lastMessageAt, unreadCount } = conversation;
      for (const m of added) {
        if (m.seq > conversation.lastSeq && m.senderId !== meId && m.seq > conversation.lastReadSeq) unreadCount++;
        if (m.seq > lastSeq) lastSeq = m.seq;
        if (!lastMessage || m.seq > lastMessage.seq) {
          lastMessage = m;
          lastMessageAt = m.createdAt;
        }
      }
      if (lastSeq !== conversation.lastSeq || lastMessage !== conversation.lastMessage || unreadCount !== conversation.unreadCount) {
        conversation = { ...conversation, lastSeq, lastMessage, lastMessageAt, unreadCount };
      }
      const senders = new Set(added.map((m) => m.senderId));
      if (typing.some((id) => senders.has(id))) typing = typing.filter((id) => !senders.has(id));
      conversation = followCursors(conversation, messages, meId);
    }
    return { ...cs, conversation, messages, typing, syncedFrom, loaded: syncedFrom !== null };
  });
}

/** Adds an optimistic message (status `sending`) after the others; never a second copy of a clientId. */
export function addPending(state: ChatState, message: LocalMessage): ChatState {
  return updateConversation(state, message.conversationId, (cs) =>
    cs.messages.some((m) => m.clientId === message.clientId) ? cs : { ...cs, messages: [...cs.messages, message] },
  );
}

/** Finds a pending or failed message by clientId. */
export function findPending(state: ChatState, clientId: string): LocalMessage | undefined {
  for (const id of state.conversationOrder) {
    const found = state.conversations[id]!.messages.find((m) => m.seq === null && m.clientId === clientId);
    if (found) return found;
  }
  return undefined;
}

/** Sets a pending message's status (`sending` again on retry, `failed` with its error). */
export function setPendingStatus(
  state: ChatState,
  conversationId: string,
  clientId: string,
  status: 'sending' | 'failed',
  error?: BanterError,
): ChatState {
  return updateConversation(state, conversationId, (cs) => {
    const at = cs.messages.findIndex((m) => m.seq === null && m.clientId === clientId);
    const m = cs.messages[at];
    if (!m || (m.status === status && m.error === error)) return cs;
    const messages = [...cs.messages];
    const next: LocalMessage = { ...m, status };
    if (error) next.error = error;
    else delete next.error;
    messages[at] = next;
    return { ...cs, messages };
  });
}

/** Drops a pending or failed message; the list preview and order roll back with it. */
export function removePending(state: ChatState, conversationId: string, clientId: string): ChatState {
  return updateConversation(state, conversationId, (cs) => {
    const messages = cs.messages.filter((m) => !(m.seq === null && m.clientId === clientId));
    return messages.length === cs.messages.length ? cs : { ...cs, messages };
  });
}

/** Our own cursor moved (markRead's reply, or optimistically before it). */
export function applyOwnRead(state: ChatState, conversationId: string, lastReadSeq: number, unreadCount?: number): ChatState {
  const meId = state.me?.id;
  return updateConversation(state, conversationId, (cs) => {
    const c = cs.conversation;
    if (lastReadSeq < c.lastReadSeq) return cs;
    // Without the server's count (optimistic): all read when the cursor reached the end.
    const count = unreadCount ?? (lastReadSeq >= c.lastSeq ? 0 : c.unreadCount);
    if (lastReadSeq === c.lastReadSeq && count === c.unreadCount) return cs;
    const participants = c.participants.map((p) => (p.user.id === meId && p.lastReadSeq < lastReadSeq ? { ...p, lastReadSeq } : p));
    return { ...cs, conversation: { ...c, lastReadSeq, unreadCount: count, participants } };
  });
}
