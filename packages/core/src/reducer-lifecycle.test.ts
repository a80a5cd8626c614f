import { describe, expect, it } from 'vitest';
import { at, conversation, message, user } from '../test/fixtures';
import type { ClientContext } from './features/context';
import {
  applyDeleted,
  applyReaction,
  applyThread,
  applyUpdated,
  edit,
  remove,
  toggleReaction,
  toggled,
} from './features/message-lifecycle';
import type { HttpApi } from './http';
import { REACTION_LIMITS } from './protocol/lifecycle';
import type { Message } from './protocol/schemas';
import { initialChatState, updateConversation, upsertConversations } from './reducer';
import { mergeMessages } from './reducer-messages';
import type { ChatState, ConversationState } from './types';

const A = '00000000-0000-4000-8000-00000000000a';
const id = (seq: number) => `m-${A}-${seq}`;

function start(): ChatState {
  let s = upsertConversations({ ...initialChatState, me: user('me') }, [conversation(A)]);
  s = mergeMessages(
    s,
    A,
    [message(A, 1), message(A, 2, 'me'), { ...message(A, 3), replyTo: { id: id(1), senderId: 'bob', body: '#1', deletedAt: null } }],
    {
      from: 1,
    },
  );
  return s;
}
const on = (s: ChatState, update: (cs: ConversationState) => ConversationState) => updateConversation(s, A, update);
const msg = (s: ChatState, seq: number) => s.conversations[A]!.messages.find((m) => m.seq === seq)!;
const edited = (seq: number, body: string, version: number) => ({
  conversationId: A,
  messageId: id(seq),
  seq,
  version,
  message: { ...message(A, seq), body, editedAt: at(100 + version) } as Message,
});

describe('message lifecycle events', () => {
  it('applies an edit once, and never an older version after a newer one', () => {
    let s = start();
    s = on(s, (cs) => applyUpdated(cs, edited(1, 'v3', 3)));
    expect(msg(s, 1)).toMatchObject({ body: 'v3', version: 3, editedAt: at(103), clientId: 'c-1' });
    const same = on(s, (cs) => applyUpdated(cs, edited(1, 'v3', 3)));
    expect(same).toBe(s);
    expect(
      msg(
        on(s, (cs) => applyUpdated(cs, edited(1, 'v2', 2))),
        1,
      ).body,
    ).toBe('v3');
    expect(s.conversations[A]!.lastMessage?.seq).toBe(3);
  });

  it('deletes: body and reactions gone, quotes of it read as deleted, a late edit changes nothing', () => {
    let s = start();
    s = on(s, (cs) =>
      applyReaction(cs, { conversationId: A, messageId: id(1), seq: 1, emoji: '👍', userId: 'bob', reacted: true, count: 1 }, 'me'),
    );
    s = on(s, (cs) => applyDeleted(cs, { messageId: id(1), version: 2, deletedAt: at(200) }));
    expect(msg(s, 1)).toMatchObject({ body: '', deletedAt: at(200), reactions: undefined, version: 2 });
    expect(msg(s, 3).replyTo).toEqual({ id: id(1), senderId: 'bob', body: '', deletedAt: at(200) });
    expect(on(s, (cs) => applyUpdated(cs, edited(1, 'late', 3)))).toBe(s);
    expect(on(s, (cs) => applyDeleted(cs, { messageId: id(1), version: 2, deletedAt: at(200) }))).toBe(s);
  });

  it('updates the list preview of a conversation whose messages are not loaded', () => {
    let s = upsertConversations({ ...initialChatState, me: user('me') }, [conversation(A, { lastSeq: 4, lastMessage: message(A, 4) })]);
    s = on(s, (cs) => applyUpdated(cs, edited(4, 'fixed', 1)));
    expect(s.conversations[A]!.lastMessage).toMatchObject({ body: 'fixed', clientId: 'c-4' });
    s = on(s, (cs) => applyDeleted(cs, { messageId: id(4), version: 2, deletedAt: at(300) }));
    expect(s.conversations[A]!.lastMessage).toMatchObject({ body: '', deletedAt: at(300) });
  });

  it('reactions: totals from the events, reactedByMe only from the user’s own, none left means none', () => {
    let s = start();
    const r = (userId: string, reacted: boolean, count: number) =>
      on(s, (cs) => applyReaction(cs, { conversationId: A, messageId: id(2), seq: 2, emoji: '🎉', userId, reacted, count }, 'me'));
    s = r('bob', true, 1);
    expect(msg(s, 2).reactions).toEqual([{ emoji: '🎉', count: 1, reactedByMe: false, userIds: ['bob'] }]);
    s = r('me', true, 2);
    expect(msg(s, 2).reactions).toEqual([{ emoji: '🎉', count: 2, reactedByMe: true, userIds: ['bob', 'me'] }]);
    expect(r('me', true, 2)).toBe(s); // the same event twice
    s = r('bob', false, 1);
    expect(msg(s, 2).reactions).toEqual([{ emoji: '🎉', count: 1, reactedByMe: true, userIds: ['me'] }]);
    s = r('me', false, 0);
    expect(msg(s, 2).reactions).toBeUndefined();
  });

  it('reactions name their first people; one who reacts or leaves moves in or out of them', () => {
    let s = start();
    const r = (userId: string, reacted: boolean, count: number) =>
      on(s, (cs) => applyReaction(cs, { conversationId: A, messageId: id(2), seq: 2, emoji: '👍', userId, reacted, count }, 'me'));
    for (let i = 1; i <= REACTION_LIMITS.namedUsers + 2; i++) s = r(`u${i}`, true, i);
    const named = Array.from({ length: REACTION_LIMITS.namedUsers }, (_, i) => `u${i + 1}`);
    expect(msg(s, 2).reactions).toEqual([{ emoji: '👍', count: REACTION_LIMITS.namedUsers + 2, reactedByMe: false, userIds: named }]);
    s = r('u1', false, REACTION_LIMITS.namedUsers + 1);
    expect(msg(s, 2).reactions![0]!.userIds).toEqual(named.slice(1));
  });

  it('thread counts only grow', () => {
    let s = start();
    const t = (replyCount: number) =>
      on(s, (cs) => applyThread(cs, { conversationId: A, messageId: id(1), seq: 1, replyCount, lastReplyAt: at(replyCount), replySeq: 9 }));
    s = t(2);
    expect(msg(s, 1)).toMatchObject({ replyCount: 2, lastReplyAt: at(2) });
    expect(t(1)).toBe(s);
  });

  it('toggled: adds, counts up and down, removes at zero', () => {
    expect(toggled(undefined, '👍')).toEqual([{ emoji: '👍', count: 1, reactedByMe: true }]);
    expect(toggled([{ emoji: '👍', count: 2, reactedByMe: false }], '👍')).toEqual([{ emoji: '👍', count: 3, reactedByMe: true }]);
    expect(toggled([{ emoji: '👍', count: 1, reactedByMe: true }], '👍')).toEqual([]);
  });
});

describe('optimistic changes', () => {
  function harness(http: Partial<HttpApi>) {
    let state = start();
    const ctx = {
      http,
      snapshot: () => state,
      dispatch: (u: (s: ChatState) => ChatState) => {
        state = u(state);
      },
      // What the change queue listens to: always online here.
      subscribe: () => () => {},
      events: { on: () => () => {} },
      platform: { online: () => true, onOnlineChange: () => () => {}, setTimeout, clearTimeout },
      timings: { sendBackoff: () => 1 },
    } as unknown as ClientContext;
    return { ctx, state: () => state };
  }

  it('shows an edit at once and keeps the server’s copy', async () => {
    let release!: () => void;
    const { ctx, state } = harness({
      call: ((method: string, path: string, json: { body: string }) => {
        expect([method, path]).toEqual(['PATCH', `/conversations/${A}/messages/${id(2)}`]);
        return new Promise<unknown>(
          (r) => (release = () => r({ message: { ...message(A, 2, 'me'), body: json.body, editedAt: at(500) } })),
        );
      }) as HttpApi['call'],
    });
    const done = edit(ctx, A, id(2), 'new text');
    await Promise.resolve();
    expect(msg(state(), 2)).toMatchObject({ body: 'new text' });
    release();
    await done;
    expect(msg(state(), 2)).toMatchObject({ body: 'new text', editedAt: at(500), clientId: 'c-2' });
  });

  it('rolls an edit and a delete back when the server refuses, and rejects', async () => {
    const refused = new Error('forbidden');
    const { ctx, state } = harness({ call: () => Promise.reject(refused) });
    await expect(edit(ctx, A, id(1), 'not mine')).rejects.toBe(refused);
    expect(msg(state(), 1)).toMatchObject({ body: '#1', editedAt: null });
    await expect(remove(ctx, A, id(1))).rejects.toBe(refused);
    expect(msg(state(), 1)).toMatchObject({ body: '#1', deletedAt: null });
  });

  it('toggles reactions in order (PUT then DELETE) and rolls a failed one back', async () => {
    const calls: string[] = [];
    let fail = false;
    const { ctx, state } = harness({
      call: (async (method: string, path: string) => {
        const emoji = decodeURIComponent(path.split('/').pop()!);
        calls.push(`${method} ${emoji}`);
        if (fail) throw new Error('gone');
        return { reactions: method === 'PUT' ? [{ emoji, count: 1, reactedByMe: true }] : [] };
      }) as HttpApi['call'],
    });
    const first = toggleReaction(ctx, A, id(1), '👍');
    const second = toggleReaction(ctx, A, id(1), '👍');
    await Promise.all([first, second]);
    expect(calls).toEqual(['PUT 👍', 'DELETE 👍']);
    expect(msg(state(), 1).reactions).toBeUndefined();
    fail = true;
    await expect(toggleReaction(ctx, A, id(1), '👍')).rejects.toThrow('gone');
    expect(msg(state(), 1).reactions).toBeUndefined();
  });
});
