import type { BanterError } from './errors';
import type { Conversation, Message, User } from './protocol/schemas';
import type { ChatState, ConnectionState, ConversationState, LocalMessage, MessageStatus } from './types';

/*
 * Pure state transitions of the chat store. Every function returns the SAME state object when
 * nothing changed, so subscribers (and useSyncExternalStore) only hear about real changes.
 * Invariants kept here:
 *  - a conversation's confirmed messages are unique by seq (and id), sorted by seq;
 *  - a pending message disappears the moment its server copy (matched by clientId) is merged,
 *    whichever of the HTTP reply or the realtime event comes first;
 *  - read cursors and lastSeq only move forward.
 */

export const initialChatState: ChatState = {
  me: null,
  connection: 'connecting',
  conversations: {},
  conversationOrder: [],
  listHasMore: false,
  activeConversationId: null,
};

const EMPTY: never[] = [];

const time = (iso: string | null | undefined): number => (iso && Date.parse(iso)) || 0;

/** A server message as a store message. */
function toLocalMessage(message: Message, status: MessageStatus = 'sent'): LocalMessage {
  return { ...message, clientId: message.clientId ?? message.id, status };
}

function maxOtherReadSeq(conversation: Conversation, meId: string | undefined): number {
  let max = 0;
  for (const p of conversation.participants) if (p.user.id !== meId && p.lastReadSeq > max) max = p.lastReadSeq;
  return max;
}

function sameLocal(a: LocalMessage | null, b: LocalMessage | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.clientId === b.clientId &&
    a.id === b.id &&
    a.seq === b.seq &&
    a.status === b.status &&
    a.body === b.body &&
    a.editedAt === b.editedAt &&
    a.deletedAt === b.deletedAt
  );
}

/** Recomputes the derived fields (statuses, list preview, order key, hasOlder); keeps objects that did not change. */
function finalize(cs: ConversationState, meId: string | undefined): ConversationState {
  const readUpTo = maxOtherReadSeq(cs.conversation, meId);
  let messages = cs.messages;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.seq === null || m.senderId !== meId) continue;
    const status: MessageStatus = m.seq <= readUpTo ? 'read' : 'sent';
    if (m.status !== status) {
      if (messages === cs.messages) messages = [...messages];
      messages[i] = { ...m, status };
    }
  }
  let candidate: LocalMessage | null = messages.length ? messages[messages.length - 1]! : null;
  const serverLast = cs.conversation.lastMessage;
  if (serverLast && (candidate === null || (candidate.seq !== null && candidate.seq < serverLast.seq))) {
    const status: MessageStatus = serverLast.senderId === meId && serverLast.seq <= readUpTo ? 'read' : 'sent';
    candidate = toLocalMessage(serverLast, status);
  }
  const lastMessage = sameLocal(cs.lastMessage, candidate) ? cs.lastMessage : candidate;
  const base = cs.conversation.lastMessageAt ?? cs.conversation.createdAt;
  const activityAt = lastMessage && time(lastMessage.createdAt) > time(base) ? lastMessage.createdAt : base;
  const firstSeq = cs.syncedFrom ?? messages.find((m) => m.seq !== null)?.seq ?? null;
  const hasOlder = firstSeq !== null ? firstSeq > 1 : cs.conversation.lastSeq > 0;
  if (
    messages === cs.messages &&
    lastMessage === cs.lastMessage &&
    activityAt === cs.activityAt &&
    hasOlder === cs.hasOlder
  ) {
    return cs;
  }
  return { ...cs, messages, lastMessage, activityAt, hasOlder };
}

function order(conversations: Record<string, ConversationState>, previous: string[]): string[] {
  const ids = Object.keys(conversations).sort(
    (a, b) => time(conversations[b]!.activityAt) - time(conversations[a]!.activityAt) || (a < b ? -1 : 1),
  );
  return ids.length === previous.length && ids.every((id, i) => id === previous[i]) ? previous : ids;
}

/** Applies `update` to one conversation (skipped when it is not in the store), then re-derives and re-orders. */
export function updateConversation(
  state: ChatState,
  conversationId: string,
  update: (cs: ConversationState) => ConversationState,
): ChatState {
  const cs = state.conversations[conversationId];
  if (!cs) return state;
  const next = finalize(update(cs), state.me?.id);
  if (next === cs) return state;
  const conversations = { ...state.conversations, [conversationId]: next };
  return { ...state, conversations, conversationOrder: order(conversations, state.conversationOrder) };
}

function newConversationState(conversation: Conversation): ConversationState {
  return {
    conversation,
    messages: EMPTY,
    lastMessage: null,
    activityAt: conversation.lastMessageAt ?? conversation.createdAt,
    loaded: false,
    syncedFrom: null,
    hasOlder: conversation.lastSeq > 0,
    loadingOlder: false,
    typing: EMPTY,
    online: EMPTY,
  };
}

/**
 * Merges a server copy of a conversation into ours. A copy can be older than what events already
 * told us (a list page that raced a message): counters and cursors never move back.
 */
function mergeConversation(local: Conversation, server: Conversation): Conversation {
  const cursors = new Map(local.participants.map((p) => [p.user.id, p.lastReadSeq]));
  const participants = server.participants.map((p) => {
    const known = cursors.get(p.user.id);
    return known !== undefined && known > p.lastReadSeq ? { ...p, lastReadSeq: known } : p;
  });
  const serverNewer = server.lastSeq >= local.lastSeq;
  const lastReadSeq = Math.max(local.lastReadSeq, server.lastReadSeq);
  const unreadCount =
    serverNewer && server.lastReadSeq >= local.lastReadSeq
      ? server.unreadCount
      : Math.min(local.unreadCount, Math.max(0, Math.max(local.lastSeq, server.lastSeq) - lastReadSeq));
  return {
    ...server,
    participants,
    lastSeq: Math.max(local.lastSeq, server.lastSeq),
    lastMessage: serverNewer ? server.lastMessage : local.lastMessage,
    lastMessageAt: serverNewer ? server.lastMessageAt : local.lastMessageAt,
    lastReadSeq,
    unreadCount,
  };
}

export function setMe(state: ChatState, me: User | null): ChatState {
  if (state.me === me) return state;
  return { ...state, me };
}

export function setConnection(state: ChatState, connection: ConnectionState): ChatState {
  return state.connection === connection ? state : { ...state, connection };
}

export function setActiveConversation(state: ChatState, id: string | null): ChatState {
  return state.activeConversationId === id ? state : { ...state, activeConversationId: id };
}

/** Inserts or refreshes conversations (list pages, get/open/create replies, `conversation.updated`). */
export function upsertConversations(
  state: ChatState,
  conversations: Conversation[],
  listHasMore?: boolean,
): ChatState {
  let all = state.conversations;
  const meId = state.me?.id;
  for (const conversation of conversations) {
    const cs = all[conversation.id];
    // A server copy read before a message of ours (or of another) was merged: replay the cursor rules.
    const next = cs
      ? finalize({ ...cs, conversation: followCursors(mergeConversation(cs.conversation, conversation), cs.messages, meId) }, meId)
      : finalize(newConversationState(conversation), meId);
    if (all === state.conversations) all = { ...all };
    all[conversation.id] = next;
  }
  const conversationOrder = all === state.conversations ? state.conversationOrder : order(all, state.conversationOrder);
  const hasMore = listHasMore ?? state.listHasMore;
  if (all === state.conversations && hasMore === state.listHasMore) return state;
  return { ...state, conversations: all, conversationOrder, listHasMore: hasMore };
}

/**
 * Merges server messages into a conversation: unique by seq, sorted, pending copies (same clientId)
 * removed, the summary (lastSeq, lastMessage, unreadCount) moved forward. `from` (a page's lower
 * bound: its first seq, or 1 when nothing is older) marks the conversation loaded from there on.
 */
export function mergeMessages(
  state: ChatState,
  conversationId: string,
  incoming: Message[],
  options: { from?: number } = {},
): ChatState {
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
        // Only an edit or a deletion replaces a known message; a late duplicate changes nothing.
        if (existing.editedAt !== m.editedAt || existing.deletedAt !== m.deletedAt) {
          if (time(m.editedAt ?? m.deletedAt) >= time(existing.editedAt ?? existing.deletedAt)) {
            if (messages === cs.messages) messages = [...messages];
            messages[at] = toLocalMessage(m, existing.status === 'read' ? 'read' : 'sent');
            replaced = true;
          }
        }
        continue;
      }
      if (added.some((a) => a.seq === m.seq)) continue;
      added.push(m);
    }
    const syncedFrom =
      options.from === undefined ? cs.syncedFrom : Math.min(options.from, cs.syncedFrom ?? options.from);
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

/**
 * The server's cursor rules replayed over the messages the store holds, so cursors and counters
 * agree with the server although no event reports these moves (found by the chaos run):
 *  - a sender with nothing of others unread has their cursor follow their own message
 *    (server store/messages.ts), which only conversation.updated on a reload used to tell;
 *  - unread = others' messages above one's own cursor; counted exactly whenever every message
 *    from the cursor to the end is held (a gap filled below lastSeq used to be left uncounted).
 * Where a message is missing, events and server copies decide, as before.
 */
export function followCursors(conversation: Conversation, messages: LocalMessage[], meId: string | undefined): Conversation {
  const bySeq = new Map<number, LocalMessage>();
  for (const m of messages) if (m.seq !== null) bySeq.set(m.seq, m);
  const follow = (userId: string, cursor: number) => {
    let seq = cursor;
    while (bySeq.get(seq + 1)?.senderId === userId) seq++;
    return seq;
  };
  let changed = false;
  const participants = conversation.participants.map((p) => {
    const cursor = p.user.id === meId ? Math.max(p.lastReadSeq, conversation.lastReadSeq) : p.lastReadSeq;
    const next = follow(p.user.id, cursor);
    if (next === p.lastReadSeq) return p;
    changed = true;
    return { ...p, lastReadSeq: next };
  });
  let { lastReadSeq, unreadCount } = conversation;
  if (meId !== undefined) {
    lastReadSeq = follow(meId, lastReadSeq);
    let others = 0;
    let complete = true;
    for (let seq = lastReadSeq + 1; seq <= conversation.lastSeq && complete; seq++) {
      const m = bySeq.get(seq);
      if (!m) complete = false;
      else if (m.senderId !== meId) others++;
    }
    if (complete) unreadCount = others;
  }
  if (!changed && lastReadSeq === conversation.lastReadSeq && unreadCount === conversation.unreadCount) return conversation;
  return { ...conversation, participants: changed ? participants : conversation.participants, lastReadSeq, unreadCount };
}

/** Adds an optimistic message (status `sending`) after the others. */
export function addPending(state: ChatState, message: LocalMessage): ChatState {
  return updateConversation(state, message.conversationId, (cs) => ({ ...cs, messages: [...cs.messages, message] }));
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
export function applyOwnRead(
  state: ChatState,
  conversationId: string,
  lastReadSeq: number,
  unreadCount?: number,
): ChatState {
  const meId = state.me?.id;
  return updateConversation(state, conversationId, (cs) => {
    const c = cs.conversation;
    if (lastReadSeq < c.lastReadSeq) return cs;
    // Without the server's count (optimistic): all read when the cursor reached the end.
    const count = unreadCount ?? (lastReadSeq >= c.lastSeq ? 0 : c.unreadCount);
    if (lastReadSeq === c.lastReadSeq && count === c.unreadCount) return cs;
    const participants = c.participants.map((p) =>
      p.user.id === meId && p.lastReadSeq < lastReadSeq ? { ...p, lastReadSeq } : p,
    );
    return { ...cs, conversation: { ...c, lastReadSeq, unreadCount: count, participants } };
  });
}

export function setLoadingOlder(state: ChatState, conversationId: string, loadingOlder: boolean): ChatState {
  return updateConversation(state, conversationId, (cs) =>
    cs.loadingOlder === loadingOlder ? cs : { ...cs, loadingOlder },
  );
}

/** The highest confirmed seq in the store for a conversation (0 when none). */
export function lastConfirmedSeq(cs: ConversationState): number {
  for (let i = cs.messages.length - 1; i >= 0; i--) {
    const seq = cs.messages[i]!.seq;
    if (seq !== null) return seq;
  }
  return 0;
}

/**
 * Where the confirmed messages are not contiguous: the seq after which to fetch, or null.
 * Also reports a missing tail (the conversation's lastSeq is ahead of the messages we hold).
 */
export function firstGap(cs: ConversationState): number | null {
  // Loaded from `syncedFrom`: a first message above it is a gap too.
  let previous: number | null = cs.syncedFrom === null ? null : cs.syncedFrom - 1;
  for (const m of cs.messages) {
    if (m.seq === null) break;
    if (previous !== null && m.seq <= previous) continue;
    if (previous !== null && m.seq > previous + 1) return previous;
    previous = m.seq;
  }
  if (previous !== null && cs.conversation.lastSeq > previous) return previous;
  return null;
}
