import type { Conversation, Message, User } from './protocol/schemas';
import { followCursors } from './reducer-cursors';
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

export const time = (iso: string | null | undefined): number => (iso && Date.parse(iso)) || 0;

/** A server message as a store message. */
export function toLocalMessage(message: Message, status: MessageStatus = 'sent'): LocalMessage {
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
  if (messages === cs.messages && lastMessage === cs.lastMessage && activityAt === cs.activityAt && hasOlder === cs.hasOlder) {
    return cs;
  }
  return { ...cs, messages, lastMessage, activityAt, hasOlder };
}

/** A message of ours is on its way: such conversations lead the list, whatever the clocks say. */
function sending(cs: ConversationState): number {
  for (let i = cs.messages.length - 1; i >= 0 && cs.messages[i]!.seq === null; i--) {
    if (cs.messages[i]!.status === 'sending') return 1;
  }
  return 0;
}

function order(conversations: Record<string, ConversationState>, previous: string[]): string[] {
  const ids = Object.keys(conversations).sort((a, b) => {
    const x = conversations[a]!;
    const y = conversations[b]!;
    return sending(y) - sending(x) || time(y.activityAt) - time(x.activityAt) || (a < b ? -1 : 1);
  });
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
export function upsertConversations(state: ChatState, conversations: Conversation[], listHasMore?: boolean): ChatState {
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

/** Forgets a conversation the user is no longer in (left, or removed by an admin). */
export function dropConversation(state: ChatState, id: string): ChatState {
  const conversations = { ...state.conversations };
  delete conversations[id];
  return { ...state, conversations, conversationOrder: order(conversations, state.conversationOrder) };
}

export function setLoadingOlder(state: ChatState, conversationId: string, loadingOlder: boolean): ChatState {
  return updateConversation(state, conversationId, (cs) => (cs.loadingOlder === loadingOlder ? cs : { ...cs, loadingOlder }));
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
