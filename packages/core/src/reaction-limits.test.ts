import { describe, expect, it, vi } from 'vitest';
import { conversation, message, user } from '../test/fixtures';
import { applyReaction } from './features/message-lifecycle';
import { REACTION_LIMITS } from './protocol/lifecycle';
import { initialChatState, updateConversation, upsertConversations } from './reducer';
import { mergeMessages } from './reducer-messages';

// One definition of the reaction limits: the zod schemas and the lazy lifecycle chunk read the same
// module, so a changed limit reaches both (the chunk used to keep a copy of namedUsers).
vi.mock('./protocol/lifecycle-limits', () => ({
  REACTION_NAMED_USERS: 2,
  REACTION_LIMITS: { emojiPerMessage: 20, emojiLength: 32, namedUsers: 2 },
}));

const A = '00000000-0000-4000-8000-00000000000a';

describe('reaction limits', () => {
  it('the protocol and the lifecycle chunk name as many reactors as lifecycle-limits says', () => {
    expect(REACTION_LIMITS.namedUsers).toBe(2);
    let s = mergeMessages(upsertConversations({ ...initialChatState, me: user('me') }, [conversation(A)]), A, [message(A, 1)], { from: 1 });
    for (let i = 1; i <= 4; i++) {
      const event = { conversationId: A, messageId: `m-${A}-1`, seq: 1, emoji: '👍', userId: `u${i}`, reacted: true, count: i };
      s = updateConversation(s, A, (cs) => applyReaction(cs, event, 'me'));
    }
    expect(s.conversations[A]!.messages[0]!.reactions).toEqual([{ emoji: '👍', count: 4, reactedByMe: false, userIds: ['u1', 'u2'] }]);
  });
});
