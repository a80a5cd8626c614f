import { describe, expect, it } from 'vitest';
import { at, conversation as conversationOf, message as messageOf, user } from '../test/fixtures';
import type { Conversation } from './protocol/schemas';
import { initialChatState, upsertConversations } from './reducer';
import { mergeMessages } from './reducer-messages';
import { applyRead } from './reducer-realtime';
import type { ChatState } from './types';

// Regressions found by the chaos run (packages/core/test/chaos): counters and receipts that
// drifted from the server's after lost events, with no error anywhere.
const A = '00000000-0000-4000-8000-00000000000a';
const conversation = (patch: Partial<Conversation> = {}) => conversationOf(A, patch);
const message = (seq: number, senderId: string) => messageOf(A, seq, senderId);
const start = (c = conversation()): ChatState =>
  mergeMessages(upsertConversations({ ...initialChatState, me: user('me') }, [c]), A, [], { from: 1 });
const view = (s: ChatState) => {
  const c = s.conversations[A]!.conversation;
  return {
    unread: c.unreadCount,
    lastReadSeq: c.lastReadSeq,
    cursors: Object.fromEntries(c.participants.map((p) => [p.user.id, p.lastReadSeq])),
  };
};

describe('cursors and unread counts follow the server rules', () => {
  it('counts a message of another that a gap fill brings below lastSeq (it was left uncounted)', () => {
    let s = start();
    s = mergeMessages(s, A, [message(2, 'bob')]); // the event for 1 was lost
    s = mergeMessages(s, A, [message(1, 'bob')]); // the gap fill
    expect(view(s).unread).toBe(2);
  });

  it("moves the sender's cursor with their own message when nothing of others was unread, as the server does", () => {
    let s = start();
    s = mergeMessages(s, A, [message(1, 'bob'), message(2, 'bob')]);
    // Bob had read nothing of ours, so his cursor follows his messages; ours stays.
    expect(view(s)).toEqual({ unread: 2, lastReadSeq: 0, cursors: { me: 0, bob: 2 } });
    s = mergeMessages(s, A, [message(3, 'me')]);
    // We had 2 unread: our cursor does not follow our message; bob's stays at 2 (3 is ours, unread for him).
    expect(view(s)).toEqual({ unread: 2, lastReadSeq: 0, cursors: { me: 0, bob: 2 } });
  });

  it('moves our own cursor with our message when we had read everything (no conversation.updated comes for it)', () => {
    let s = start(
      conversation({
        lastSeq: 1,
        lastReadSeq: 1,
        participants: [
          { user: user('me'), lastReadSeq: 1, joinedAt: at(0) },
          { user: user('bob'), lastReadSeq: 1, joinedAt: at(0) },
        ],
      }),
    );
    s = mergeMessages(s, A, [message(1, 'bob')]);
    s = mergeMessages(s, A, [message(2, 'me')]);
    expect(view(s)).toEqual({ unread: 0, lastReadSeq: 2, cursors: { me: 2, bob: 1 } });
  });

  it("replays the rule when bob's cursor arrives after his message (a late read event or server copy)", () => {
    let s = start();
    s = mergeMessages(s, A, [message(1, 'me'), message(2, 'bob')]);
    // Bob's cursor was behind our message 1: his message 2 does not move it.
    expect(view(s).cursors.bob).toBe(0);
    // His read of 1 (sent before his message 2) arrives late: on the server his cursor then followed 2.
    s = applyRead(s, { conversationId: A, userId: 'bob', lastReadSeq: 1 });
    expect(view(s).cursors.bob).toBe(2);
    // The same through a server copy of the conversation read before message 3 of bob's was stored.
    s = mergeMessages(s, A, [message(3, 'me'), message(4, 'bob')]);
    s = upsertConversations(s, [
      conversation({
        lastSeq: 3,
        participants: [
          { user: user('me'), lastReadSeq: 3, joinedAt: at(0) },
          { user: user('bob'), lastReadSeq: 3, joinedAt: at(0) },
        ],
      }),
    ]);
    expect(view(s).cursors.bob).toBe(4);
  });

  it('leaves counters to events and server copies where a message is missing', () => {
    let s = start(conversation({ lastSeq: 5, unreadCount: 3, lastReadSeq: 2 }));
    s = mergeMessages(s, A, [message(5, 'bob')]); // 3 and 4 unknown
    expect(view(s).unread).toBe(3);
  });
});
