'use client';

import type { Message } from '@banter/core';
import { BanterProvider, useConnectionState, useMessages, useSendMessage, useTyping } from '@banter/react';
import { type FormEvent, useEffect, useState } from 'react';

interface Props {
  conversationId: string;
  me: string;
  /** What the server loaded: rendered into the HTML, and shown until the browser's client has the thread. */
  initialMessages: Message[];
}

async function getToken(): Promise<string> {
  const res = await fetch('/api/chat-token', { cache: 'no-store' });
  if (!res.ok) throw new Error(`chat token: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** The provider creates its client in the browser after hydration; the server render has none. */
export function ChatThread(props: Props) {
  return (
    <BanterProvider options={{ url: '/api/chat', getToken }}>
      <Thread {...props} />
    </BanterProvider>
  );
}

function Thread({ conversationId, me, initialMessages }: Props) {
  const { messages, loading } = useMessages(conversationId);
  const { typing, notifyTyping } = useTyping(conversationId);
  const { send } = useSendMessage();
  const connection = useConnectionState();
  const [text, setText] = useState('');
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  // The server's render and the first browser render both show the server's messages: they match.
  const shown = loading ? initialMessages.map((m) => ({ ...m, status: 'sent' as const })) : messages;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    send(conversationId, text);
    setText('');
  };
  return (
    <section data-hydrated={hydrated} style={{ border: '1px solid #ddd', borderRadius: 8, padding: '1rem' }}>
      <small data-testid="connection">{loading ? 'server-rendered' : connection}</small>
      <ol style={{ listStyle: 'none', padding: 0 }}>
        {shown.map((m) => (
          <li key={m.clientId} data-status={m.status} style={{ textAlign: m.senderId === me ? 'right' : 'left' }}>
            <b>{m.senderId}</b>: {m.body} {m.senderId === me && <small>{m.status}</small>}
          </li>
        ))}
      </ol>
      <p data-testid="typing">{typing.length > 0 ? `${typing.join(', ')} typing…` : '\u00a0'}</p>
      <form onSubmit={submit} style={{ display: 'flex', gap: 8 }}>
        <input
          aria-label="Message"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            notifyTyping();
          }}
          style={{ flex: 1 }}
        />
        <button type="submit" disabled={loading}>
          Send
        </button>
      </form>
    </section>
  );
}
