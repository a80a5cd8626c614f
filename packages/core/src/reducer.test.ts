import { describe, expect, it } from 'vitest';
import { at, conversation, message, user } from '../test/fixtures';
import type { Conversation } from './protocol/schemas';
import { firstGap, initialChatState, upsertConversations } from './reducer';
import { addPending, applyOwnRead, mergeMessages, removePending, setPendingStatus } from './reducer-messages';
import { applyRead, setTyping } from './reducer-realtime';
import { selectConversationList, selectMessages, selectReadBy, selectUnreadTotal } from './selectors';
import type { ChatState, LocalMessage } from './types';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

function pending(conversationId: string, clientId: string, createdAt = at(1000)): LocalMessage {
  return {
    id: null,
    seq: null,
    conversationId,
    senderId: 'me',
    clientId,
    body: clientId,
    createdAt,
    editedAt: null,
    deletedAt: null,
    status: 'sending',
  };
}

function start(...conversations: Conversation[]): ChatState {
  return upsertConversations({ ...initialChatState, me: user('me') }, conversations);
}

describe('mergeMessages', () => {
  it('keeps messages unique by seq and sorted, whatever the arrival order', () => {
    let s = start(conversation(A));
    s = mergeMessages(s, A, [message(A, 3), message(A, 1)]);
    s = mergeMessages(s, A, [message(A, 2), message(A, 3), message(A, 1)]);
    expect(selectMessages(s, A).map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('returns the same state object for a duplicate (no re-render)', () => {
    const s = mergeMessages(start(conversation(A)), A, [message(A, 1)]);
    expect(mergeMessages(s, A, [message(A, 1)])).toBe(s);
  });

  it('replaces the pending copy by clientId, whichever copy (HTTP reply or event) comes first', () => {
    let s = start(conversation(A));
    s = addPending(s, pending(A, 'x'));
    s = addPending(s, pending(A, 'y'));
    s = mergeMessages(s, A, [message(A, 1, 'me', 'x')]);
    expect(selectMessages(s, A).map((m) => [m.seq, m.clientId, m.status])).toEqual([
      [1, 'x', 'sent'],
      [null, 'y', 'sending'],
    ]);
    // The second copy (the other channel) changes nothing.
    expect(mergeMessages(s, A, [message(A, 1, 'me', 'x')])).toBe(s);
  });

  it('counts unread only for new messages from others', () => {
    let s = start(conversation(A));
    s = mergeMessages(s, A, [message(A, 1, 'bob'), message(A, 2, 'me')]);
    expect(s.conversations[A]!.conversation.unreadCount).toBe(1);
    s = mergeMessages(s, A, [message(A, 1, 'bob')]);
    expect(s.conversations[A]!.conversation.unreadCount).toBe(1);
    expect(selectUnreadTotal(s)).toBe(1);
  });

  it('removes the typing indicator of a sender whose message arrived', () => {
    let s = setTyping(start(conversation(A)), A, 'bob', true);
    expect(s.conversations[A]!.typing).toEqual(['bob']);
    s = mergeMessages(s, A, [message(A, 1, 'bob')]);
    expect(s.conversations[A]!.typing).toEqual([]);
  });
});

describe('gaps', () => {
  it('finds a hole between messages, and a missing tail', () => {
    let s = start(conversation(A));
    s = mergeMessages(s, A, [message(A, 1), message(A, 2), message(A, 5)], { from: 1 });
    expect(firstGap(s.conversations[A]!)).toBe(2);
    s = mergeMessages(s, A, [message(A, 3), message(A, 4)]);
    expect(firstGap(s.conversations[A]!)).toBeNull();
    s = upsertConversations(s, [conversation(A, { lastSeq: 7 })]);
    expect(firstGap(s.conversations[A]!)).toBe(5);
  });

  it('sees a gap below the first message of a loaded conversation', () => {
    // Regression: a loaded empty conversation receiving seq 2 (seq 1's event lost) looked complete.
    let s = mergeMessages(start(conversation(A)), A, [], { from: 1 });
    s = mergeMessages(s, A, [message(A, 2)]);
    expect(firstGap(s.conversations[A]!)).toBe(0);
  });

  it('does not report gaps for a conversation never loaded', () => {
    const s = start(conversation(A, { lastSeq: 9 }));
    expect(firstGap(s.conversations[A]!)).toBeNull();
    expect(s.conversations[A]!.hasOlder).toBe(true);
  });
});

describe('conversation list', () => {
  it('orders by latest activity, pending sends included, and rolls back on discard', () => {
    let s = start(
      conversation(A, { lastSeq: 1, lastMessageAt: at(50), lastMessage: message(A, 1) }),
      conversation(B, { lastSeq: 1, lastMessageAt: at(60), lastMessage: message(B, 1) }),
    );
    expect(s.conversationOrder).toEqual([B, A]);
    s = addPending(s, pending(A, 'x', at(100)));
    expect(s.conversationOrder).toEqual([A, B]);
    expect(selectConversationList(s)[0]!.lastMessage?.clientId).toBe('x');
    s = setPendingStatus(s, A, 'x', 'failed');
    expect(selectMessages(s, A).at(-1)!.status).toBe('failed');
    s = removePending(s, A, 'x');
    expect(s.conversationOrder).toEqual([B, A]);
    expect(selectConversationList(s)[1]!.lastMessage?.seq).toBe(1);
  });

  // Issue 21: with the server's clock ahead of the device's (or a message arriving elsewhere while
  // ours waits offline), a pending send sank below other conversations although the docs say it leads.
  it('puts conversations with a send on its way first, whatever the clocks say; a failed one takes its place again', () => {
    let s = start(
      conversation(A, { lastSeq: 1, lastMessageAt: at(50), lastMessage: message(A, 1) }),
      conversation(B, { lastSeq: 1, lastMessageAt: at(5000), lastMessage: message(B, 1) }),
    );
    s = addPending(s, pending(A, 'x', at(100))); // older than B's latest message by the clocks
    expect(selectConversationList(s).map((c) => c.conversation.id)).toEqual([A, B]);
    s = mergeMessages(s, B, [{ ...message(B, 2), createdAt: at(6000) }]); // B moves while x waits
    expect(s.conversationOrder).toEqual([A, B]);
    s = setPendingStatus(s, A, 'x', 'failed');
    expect(s.conversationOrder).toEqual([B, A]);
  });

  it('never adds a second copy of a clientId the store already holds', () => {
    const s = mergeMessages(start(conversation(A)), A, [message(A, 1, 'me', 'x')]);
    expect(addPending(s, pending(A, 'x'))).toBe(s);
  });

  it('keeps the same list array while nothing in the list changed', () => {
    const s = start(conversation(A), conversation(B));
    expect(selectConversationList(s)).toBe(selectConversationList(s));
    expect(selectConversationList({ ...s })).toBe(selectConversationList(s));
  });

  it('does not let an older server copy move counters or cursors back', () => {
    let s = start(conversation(A));
    s = mergeMessages(s, A, [message(A, 1), message(A, 2)]);
    s = applyRead(s, { conversationId: A, userId: 'bob', lastReadSeq: 2 });
    s = upsertConversations(s, [conversation(A, { lastSeq: 1, lastMessage: message(A, 1) })]);
    const c = s.conversations[A]!.conversation;
    expect(c.lastSeq).toBe(2);
    expect(c.lastMessage?.seq).toBe(2);
    expect(c.participants.find((p) => p.user.id === 'bob')!.lastReadSeq).toBe(2);
  });
});

describe('read receipts', () => {
  it('marks own messages read when another participant cursor reaches them, and never moves back', () => {
    let s = start(conversation(A));
    s = mergeMessages(s, A, [message(A, 1, 'me'), message(A, 2, 'me'), message(A, 3, 'bob')]);
    expect(selectMessages(s, A).map((m) => m.status)).toEqual(['sent', 'sent', 'sent']);
    s = applyRead(s, { conversationId: A, userId: 'bob', lastReadSeq: 1 });
    expect(selectMessages(s, A).map((m) => m.status)).toEqual(['read', 'sent', 'sent']);
    const before = s;
    s = applyRead(s, { conversationId: A, userId: 'bob', lastReadSeq: 0 });
    expect(s).toBe(before);
    expect(selectReadBy(s, A, 1).map((u) => u.id)).toEqual(['bob']);
    expect(selectReadBy(s, A, 2)).toEqual([]);
  });

  it('applies our own cursor and unread count, forward only', () => {
    let s = start(conversation(A));
    s = mergeMessages(s, A, [message(A, 1), message(A, 2)]);
    s = applyOwnRead(s, A, 2, 0);
    expect(s.conversations[A]!.conversation).toMatchObject({ lastReadSeq: 2, unreadCount: 0 });
    expect(applyOwnRead(s, A, 1, 1)).toBe(s);
  });
});
