import type { ConversationState } from '@banter/core';
import {
  BanterProvider,
  useChatClient,
  useChatSelector,
  useConnectionState,
  useConversations,
  useMessages,
  usePresence,
  useSendMessage,
  useTyping,
  useUnreadCount,
} from '@banter/react';
import { type FormEvent, useEffect, useState } from 'react';

// Fake sign-in: `?as=alice` is who you are, `?with=bob` whom you chat with. Your app knows its user.
const params = new URLSearchParams(location.search);
const me = params.get('as') ?? 'alice';
const peer = params.get('with') ?? (me === 'alice' ? 'bob' : 'alice');

// Your backend mints the token for its signed-in user (server.ts: GET /chat-token).
async function getToken(): Promise<string> {
  const res = await fetch(`/chat-token?as=${encodeURIComponent(me)}`, { cache: 'no-store' });
  if (!res.ok) throw new Error(`chat token: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

export function App() {
  return (
    <BanterProvider options={{ url: '/api', getToken }}>
      <Chat />
    </BanterProvider>
  );
}

function Chat() {
  const client = useChatClient();
  const connection = useConnectionState();
  const unread = useUnreadCount();
  const [openId, setOpenId] = useState<string | null>(null);
  // Start on the direct conversation with `peer` (created on first use).
  useEffect(() => {
    client?.conversations.open({ with: peer }).then((c) => setOpenId(c.id), console.error);
  }, [client]);
  return (
    <div className="chat">
      <header>
        Signed in as <b>{me}</b> · <span data-testid="connection">{connection}</span> · {unread} unread
      </header>
      <Inbox openId={openId} onOpen={setOpenId} />
      {openId ? <Thread key={openId} id={openId} /> : <p>Opening…</p>}
    </div>
  );
}

const title = (c: ConversationState, myId: string | undefined) =>
  c.conversation.title ??
  c.conversation.participants
    .filter((p) => p.user.id !== myId)
    .map((p) => p.user.name ?? p.user.id)
    .join(', ');

function Inbox({ openId, onOpen }: { openId: string | null; onOpen: (id: string) => void }) {
  const { conversations, hasMore, loadMore } = useConversations();
  const myId = useChatSelector((state) => state.me?.id);
  return (
    <ul className="inbox" aria-label="Conversations">
      {conversations.map((c) => (
        <li key={c.conversation.id}>
          <button type="button" className={c.conversation.id === openId ? 'open' : ''} onClick={() => onOpen(c.conversation.id)}>
            <b>{title(c, myId)}</b>
            {c.conversation.unreadCount > 0 && <span className="badge">{c.conversation.unreadCount}</span>}
            <br />
            <small>{c.lastMessage?.body ?? 'No messages yet'}</small>
          </button>
        </li>
      ))}
      {hasMore && (
        <li>
          <button type="button" onClick={() => loadMore()}>
            More…
          </button>
        </li>
      )}
    </ul>
  );
}

function Thread({ id }: { id: string }) {
  const { messages, loading, hasOlder, loadingOlder, loadOlder } = useMessages(id);
  const { typing, notifyTyping } = useTyping(id);
  const online = usePresence(id);
  const { send, retry } = useSendMessage();
  const myId = useChatSelector((state) => state.me?.id);
  const [text, setText] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    send(id, text);
    setText('');
  };
  return (
    <section className="thread" aria-label="Messages">
      <p data-testid="online">Online: {online.join(', ') || 'nobody'}</p>
      <div className="messages">
        {hasOlder && (
          <button type="button" disabled={loadingOlder} onClick={() => loadOlder()}>
            Load older
          </button>
        )}
        {loading && <p>Loading…</p>}
        {messages.map((m) => (
          <p key={m.clientId} className={m.senderId === myId ? 'message mine' : 'message'} data-status={m.status}>
            {m.body}
            {m.senderId === myId && <small>{m.status}</small>}
            {m.status === 'failed' && (
              <button type="button" onClick={() => retry(m.clientId)}>
                Retry
              </button>
            )}
          </p>
        ))}
      </div>
      <p data-testid="typing">{typing.length > 0 ? `${typing.join(', ')} typing…` : '\u00a0'}</p>
      <form onSubmit={submit}>
        <input
          aria-label="Message"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            notifyTyping();
          }}
        />
        <button type="submit">Send</button>
      </form>
    </section>
  );
}
