import type { Conversation, Message, User } from '@banter/core';

/*
 * An in-memory Banter API behind a `fetch` function, for component tests: the widget talks to a
 * real @banter/core client, which talks to this. It follows DESIGN.md's routes and shapes; the
 * server package has the real thing (PostgreSQL), which the browser tests use.
 */

interface StoredConversation {
  id: string;
  kind: 'direct' | 'group';
  title: string | null;
  createdAt: string;
  participants: Map<string, { lastReadSeq: number; unreadCount: number; joinedAt: string }>;
  messages: Message[];
}

/** Returns (or resolves to) a Response to answer instead of storing; null/undefined stores as usual. */
export type SendInterceptor = (body: {
  clientId: string;
  body: string;
}) => Response | null | undefined | Promise<Response | null | undefined>;

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const error = (status: number, code: string, message: string) => json(status, { error: { code, message } });

let counter = 0;
/** Deterministic UUID-shaped ids (the client's schemas do not check them; the server's would). */
export const fakeUuid = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

export class FakeApi {
  readonly users = new Map<string, User>();
  readonly conversations = new Map<string, StoredConversation>();
  /** Every request, "METHOD /path?query". */
  readonly requests: string[] = [];
  /** Answers a POST of a message instead of storing it when it returns a Response. */
  onSend: SendInterceptor | null = null;
  /** Answers any request instead of the routes when it returns a Response (e.g. a 401). */
  onRequest: ((method: string, path: string) => Response | undefined) | null = null;
  private clock = Date.parse('2026-11-26T09:00:00Z');

  constructor(public meId: string) {}

  /** The next timestamp: one minute after the previous one, so order is unambiguous. */
  now(): string {
    this.clock += 60_000;
    return new Date(this.clock).toISOString();
  }

  addUser(id: string, name: string | null = id, avatarUrl: string | null = null): User {
    const user = { id, name, avatarUrl };
    this.users.set(id, user);
    return user;
  }

  addConversation(participantIds: string[], options: { title?: string; kind?: 'direct' | 'group' } = {}): string {
    const id = fakeUuid();
    const createdAt = this.now();
    this.conversations.set(id, {
      id,
      kind: options.kind ?? (participantIds.length > 2 || options.title ? 'group' : 'direct'),
      title: options.title ?? null,
      createdAt,
      participants: new Map(participantIds.map((p) => [p, { lastReadSeq: 0, unreadCount: 0, joinedAt: createdAt }])),
      messages: [],
    });
    return id;
  }

  /** Stores a message as `senderId` (what another user's POST would do). */
  post(conversationId: string, senderId: string, body: string, clientId: string | null = fakeUuid(), createdAt = this.now()): Message {
    const c = this.conversations.get(conversationId)!;
    const message: Message = {
      id: fakeUuid(),
      conversationId,
      seq: c.messages.length + 1,
      senderId,
      clientId,
      body,
      createdAt,
      editedAt: null,
      deletedAt: null,
    };
    c.messages.push(message);
    for (const [userId, p] of c.participants) {
      // Writing implies having read everything before: the sender's cursor moves to their message.
      if (userId === senderId) {
        p.lastReadSeq = message.seq;
        p.unreadCount = 0;
      } else p.unreadCount++;
    }
    return message;
  }

  /** Moves `userId`'s read cursor. */
  read(conversationId: string, userId: string, seq: number): void {
    const p = this.conversations.get(conversationId)!.participants.get(userId)!;
    if (seq > p.lastReadSeq) p.lastReadSeq = seq;
    const c = this.conversations.get(conversationId)!;
    p.unreadCount = c.messages.filter((m) => m.seq > p.lastReadSeq && m.senderId !== userId).length;
  }

  /** The conversation as `userId` sees it. */
  view(conversationId: string, userId = this.meId): Conversation {
    const c = this.conversations.get(conversationId)!;
    const mine = c.participants.get(userId)!;
    const last = c.messages[c.messages.length - 1] ?? null;
    return {
      id: c.id,
      kind: c.kind,
      title: c.title,
      lastSeq: c.messages.length,
      lastMessageAt: last?.createdAt ?? null,
      createdAt: c.createdAt,
      participants: [...c.participants].map(([id, p]) => ({
        user: this.users.get(id) ?? { id, name: null, avatarUrl: null },
        lastReadSeq: p.lastReadSeq,
        joinedAt: p.joinedAt,
      })),
      lastMessage: last,
      unreadCount: mine.unreadCount,
      lastReadSeq: mine.lastReadSeq,
    };
  }

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const path = url.pathname.replace(/^\/api/, '');
    this.requests.push(`${request.method} ${path}${url.search}`);
    const overridden = this.onRequest?.(request.method, path);
    if (overridden) return overridden;
    const body = request.method === 'POST' ? await request.text() : '';
    const data = body && request.headers.get('content-type')?.includes('json') ? JSON.parse(body) : {};
    const q = url.searchParams;
    let m: RegExpMatchArray | null;

    if (request.method === 'GET' && path === '/me') return json(200, { user: this.users.get(this.meId) });
    if (request.method === 'GET' && path === '/conversations') {
      const all = [...this.conversations.values()]
        .filter((c) => c.participants.has(this.meId))
        .map((c) => this.view(c.id))
        .sort((a, b) => (b.lastMessageAt ?? b.createdAt).localeCompare(a.lastMessageAt ?? a.createdAt));
      const offset = Number(q.get('cursor') ?? 0);
      const limit = Number(q.get('limit') ?? 30);
      const page = all.slice(offset, offset + limit);
      return json(200, { conversations: page, nextCursor: offset + limit < all.length ? String(offset + limit) : null });
    }
    if (request.method === 'POST' && path === '/conversations') {
      const ids = [this.meId, ...(data.participantIds as string[])];
      if (ids.length === 2 && !data.title) {
        for (const c of this.conversations.values()) {
          if (c.kind === 'direct' && ids.every((id) => c.participants.has(id))) return json(200, { conversation: this.view(c.id) });
        }
      }
      return json(201, { conversation: this.view(this.addConversation(ids, data.title ? { title: data.title } : {})) });
    }
    if ((m = path.match(/^\/conversations\/([^/]+)(\/messages|\/read)?$/))) {
      const c = this.conversations.get(decodeURIComponent(m[1]!));
      if (!c || !c.participants.has(this.meId)) return error(404, 'not_found', 'conversation not found');
      if (!m[2] && request.method === 'GET') return json(200, { conversation: this.view(c.id) });
      if (m[2] === '/messages' && request.method === 'GET') {
        const limit = Number(q.get('limit') ?? 30);
        if (q.has('after')) {
          const after = Number(q.get('after'));
          const rest = c.messages.filter((x) => x.seq > after);
          return json(200, { messages: rest.slice(0, limit), hasMore: rest.length > limit });
        }
        const before = q.has('before') ? Number(q.get('before')) : Infinity;
        const older = c.messages.filter((x) => x.seq < before);
        return json(200, { messages: older.slice(-limit), hasMore: older.length > limit });
      }
      if (m[2] === '/messages' && request.method === 'POST') {
        const intercepted = await this.onSend?.(data);
        if (intercepted) return intercepted;
        const existing = c.messages.find((x) => x.senderId === this.meId && x.clientId === data.clientId);
        if (existing) return json(200, { message: existing });
        return json(201, { message: this.post(c.id, this.meId, data.body, data.clientId) });
      }
      if (m[2] === '/read' && request.method === 'POST') {
        this.read(c.id, this.meId, data.seq ?? c.messages.length);
        const p = c.participants.get(this.meId)!;
        return json(200, { conversationId: c.id, lastReadSeq: p.lastReadSeq, unreadCount: p.unreadCount });
      }
    }
    return error(404, 'not_found', `no route ${request.method} ${path}`);
  };
}

/** An error answer for `onSend`: not retried by the client, so the message fails at once. */
export const refuse = () => error(403, 'forbidden', 'you may not post here');

/** A 401, as for an expired or forged token. */
export const unauthorized = () => error(401, 'unauthorized', 'invalid token');
