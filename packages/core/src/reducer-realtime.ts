import type { ConversationReadEvent } from './protocol/schemas';
import { updateConversation } from './reducer';
import { followCursors } from './reducer-cursors';
import type { ChatState } from './types';

// State transitions that only realtime events cause: loaded with the realtime session, not before.

/** Another participant's (or our own, from another tab) read cursor moved. */
export function applyRead(state: ChatState, event: ConversationReadEvent): ChatState {
  const meId = state.me?.id;
  return updateConversation(state, event.conversationId, (cs) => {
    const c = cs.conversation;
    const at = c.participants.findIndex((p) => p.user.id === event.userId);
    const p = c.participants[at];
    if (!p || p.lastReadSeq >= event.lastReadSeq) return cs;
    const participants = [...c.participants];
    participants[at] = { ...p, lastReadSeq: event.lastReadSeq };
    // Own messages merged before this event (it can arrive late) move the cursor on, as on the server.
    return { ...cs, conversation: followCursors({ ...c, participants }, cs.messages, meId) };
  });
}

export function setTyping(state: ChatState, conversationId: string, userId: string, typing: boolean): ChatState {
  return updateConversation(state, conversationId, (cs) => {
    const has = cs.typing.includes(userId);
    if (has === typing) return cs;
    return { ...cs, typing: typing ? [...cs.typing, userId] : cs.typing.filter((id) => id !== userId) };
  });
}

export function setOnline(state: ChatState, conversationId: string, online: string[]): ChatState {
  return updateConversation(state, conversationId, (cs) => {
    if (online.length === cs.online.length && online.every((id, i) => id === cs.online[i])) return cs;
    return { ...cs, online };
  });
}
