import type { Conversation, Message } from '../src/protocol/schemas';

/** Builders of server-shaped data for the store's unit tests: `me` and `bob` in a direct chat. */
export const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
export const user = (id: string) => ({ id, name: id, avatarUrl: null });

export function conversation(id: string, patch: Partial<Conversation> = {}): Conversation {
  return {
    id,
    kind: 'direct',
    title: null,
    lastSeq: 0,
    lastMessageAt: null,
    createdAt: at(0),
    participants: [
      { user: user('me'), lastReadSeq: 0, joinedAt: at(0) },
      { user: user('bob'), lastReadSeq: 0, joinedAt: at(0) },
    ],
    lastMessage: null,
    unreadCount: 0,
    lastReadSeq: 0,
    ...patch,
  };
}

export function message(conversationId: string, seq: number, senderId = 'bob', clientId: string | null = `c-${seq}`): Message {
  return {
    id: `m-${conversationId}-${seq}`,
    conversationId,
    seq,
    senderId,
    clientId,
    body: `#${seq}`,
    createdAt: at(seq * 10),
    editedAt: null,
    deletedAt: null,
  };
}
