import type { Conversation } from './protocol/schemas';
import type { LocalMessage } from './types';

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
