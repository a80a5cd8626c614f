import { BanterError } from '../src/errors';
import type { HttpApi } from '../src/http';
import { EVENTS } from '../src/protocol/channels';
import type { Conversation, Message, MessagePage, User } from '../src/protocol/schemas';
import type { RealtimeTransport } from '../src/realtime';
import type { ConnectionState } from '../src/types';

/**
 * A reference model of the Banter server for client tests: one in-memory truth (seq per conversation,
 * idempotent sends by clientId, read cursors) and the realtime events it would publish.
 */
export class ReferenceServer {
  users = new Map<string, User>();
  conversations = new Map<string, { conversation: Omit<Conversation, 'lastReadSeq' | 'unreadCount'>; messages: Message[] }>();
  private ids = 0;
  /** Called for each event the server publishes: (userId, event name, data). */
  onEvent: (userId: string, name: string, data: unknown) => void = () => {};

  uuid(): string {
    const n = (++this.ids).toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${n}`;
  }

  addUser(id: string): User {
    const user = { id, name: id, avatarUrl: null };
    this.users.set(id, user);
    return user;
  }

  createConversation(participantIds: string[]): string {
    const id = this.uuid();
    this.conversations.set(id, {
      conversation: {
        id,
        kind: participantIds.length === 2 ? 'direct' : 'group',
        title: null,
        lastSeq: 0,
        lastMessageAt: null,
        createdAt: '2026-01-01T00:00:00.000Z',
        participants: participantIds.map((u) => ({ user: this.users.get(u)!, lastReadSeq: 0, joinedAt: '2026-01-01T00:00:00.000Z' })),
        lastMessage: null,
      },
      messages: [],
    });
    return id;
  }

  view(conversationId: string, userId: string): Conversation {
    const c = this.conversations.get(conversationId);
    if (!c) throw new BanterError('not_found', `conversation ${conversationId} not found`);
    const me = c.conversation.participants.find((p) => p.user.id === userId);
    if (!me) throw new BanterError('forbidden', 'not a participant');
    const unreadCount = c.messages.filter((m) => m.seq > me.lastReadSeq && m.senderId !== userId).length;
    return structuredClone({ ...c.conversation, lastReadSeq: me.lastReadSeq, unreadCount });
  }

  /** Stores a message once per (sender, clientId), like the real server, and publishes it. */
  send(conversationId: string, senderId: string, clientId: string, body: string): Message {
    const c = this.conversations.get(conversationId)!;
    const existing = c.messages.find((m) => m.senderId === senderId && m.clientId === clientId);
    if (existing) return structuredClone(existing);
    const seq = c.conversation.lastSeq + 1;
    const message: Message = {
      id: this.uuid(),
      conversationId,
      seq,
      senderId,
      clientId,
      body,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      editedAt: null,
      deletedAt: null,
    };
    c.messages.push(message);
    c.conversation.lastSeq = seq;
    c.conversation.lastMessage = message;
    c.conversation.lastMessageAt = message.createdAt;
    for (const p of c.conversation.participants) {
      this.onEvent(p.user.id, EVENTS.messageCreated, structuredClone({ conversationId, seq, message }));
    }
    return structuredClone(message);
  }

  markRead(conversationId: string, userId: string, seq?: number) {
    const c = this.conversations.get(conversationId)!;
    const p = c.conversation.participants.find((x) => x.user.id === userId)!;
    const target = Math.min(seq ?? c.conversation.lastSeq, c.conversation.lastSeq);
    if (target > p.lastReadSeq) {
      p.lastReadSeq = target;
      for (const other of c.conversation.participants) {
        if (other.user.id !== userId) {
          this.onEvent(other.user.id, EVENTS.conversationRead, { conversationId, userId, lastReadSeq: target });
        }
      }
    }
    const view = this.view(conversationId, userId);
    return { conversationId, lastReadSeq: view.lastReadSeq, unreadCount: view.unreadCount };
  }

  listMessages(conversationId: string, q: { limit?: number; before?: number; after?: number }): MessagePage {
    const all = this.conversations.get(conversationId)!.messages;
    const limit = q.limit ?? 30;
    let slice: Message[];
    let hasMore: boolean;
    if (q.after !== undefined) {
      const rest = all.filter((m) => m.seq > q.after!);
      slice = rest.slice(0, limit);
      hasMore = rest.length > limit;
    } else {
      const rest = all.filter((m) => q.before === undefined || m.seq < q.before);
      slice = rest.slice(Math.max(0, rest.length - limit));
      hasMore = rest.length > limit;
    }
    return structuredClone({ messages: slice, hasMore });
  }

  /** The HttpApi of one user, talking straight to this model. */
  http(userId: string): HttpApi {
    return {
      me: async () => ({ user: this.users.get(userId)! }),
      config: async () => ({
        key: 'k',
        cluster: 'mt1',
        wsHost: null,
        wsPort: null,
        wssPort: null,
        forceTLS: false,
        authEndpoint: 'realtime/auth',
      }),
      listConversations: async () => ({
        conversations: [...this.conversations.keys()].map((id) => this.view(id, userId)),
        nextCursor: null,
      }),
      createConversation: async (body) => this.view(this.createConversation([userId, ...body.participantIds]), userId),
      getConversation: async (id) => this.view(id, userId),
      listMessages: async (id, q = {}) => this.listMessages(id, q),
      sendMessage: async (id, body) => this.send(id, userId, body.clientId, body.body),
      markRead: async (id, seq) => this.markRead(id, userId, seq),
      authorizeChannel: async () => ({ auth: 'k:sig' }),
      authenticateUser: async () => ({ auth: 'k:fake', user_data: JSON.stringify({ id: userId }) }),
    };
  }
}

/** A realtime connection driven by the test: state changes, and events delivered or dropped. */
export class FakeTransport implements RealtimeTransport {
  state: ConnectionState = 'connecting';
  private listeners = new Set<(state: ConnectionState) => void>();
  user: { event(name: string, data: unknown): void; subscribed(): void } | null = null;

  setState(state: ConnectionState) {
    this.state = state;
    for (const l of [...this.listeners]) l(state);
    // pusher-js resubscribes its channels after every reconnection.
    if (state === 'connected') this.user?.subscribed();
  }
  onStateChange(listener: (state: ConnectionState) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  subscribeUser(_userId: string, handlers: { event(name: string, data: unknown): void; subscribed(): void }) {
    this.user = handlers;
    if (this.state === 'connected') handlers.subscribed();
    return () => {
      this.user = null;
    };
  }
  deliver(name: string, data: unknown) {
    if (this.state === 'connected') this.user?.event(name, data);
  }
  /** client-typing events this client sent, and the handlers of joined presence channels. */
  sentTyping: string[] = [];
  presence = new Map<string, { members(ids: string[]): void; typing(userId: string): void }>();
  joinPresence(conversationId: string, handlers: { members(ids: string[]): void; typing(userId: string): void }) {
    this.presence.set(conversationId, handlers);
    return {
      typing: (userId: string) => void this.sentTyping.push(`${conversationId} ${userId}`),
      leave: () => void this.presence.delete(conversationId),
    };
  }
  close() {
    this.listeners.clear();
  }
}
