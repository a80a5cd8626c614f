// @vitest-environment node
/** @jsxImportSource react */
import { createChatClient } from '@banter/core';
import { databaseTargets } from '@banter/server/testing';
import { useEffect, useRef } from 'react';
import { renderToString } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordBrowserGlobals } from '../../core/test/browser-globals';
import { type ChatStack, startChatStack } from '../../core/test/chat-stack';

// What Next.js App Router does with a 'use client' chat page: import the packages and render it
// to HTML in Node, with no DOM. Nothing may read window/document or crash on the way.

/** React separates adjacent text with `<!-- -->`; what a reader sees has none. */
const text = (html: string) => html.replaceAll('<!-- -->', '');

type ReactModule = typeof import('./index');

function Chat({ react, id }: { react: ReactModule; id: string }) {
  const { messages, loading } = react.useMessages(id);
  const { conversations } = react.useConversations();
  const { typing } = react.useTyping(id);
  const online = react.usePresence(id);
  const connection = react.useConnectionState();
  const unread = react.useUnreadCount();
  react.useSendMessage();
  react.useConversation(id);
  return (
    <section>
      <p>
        {connection}|loading:{String(loading)}|list:{conversations.length}|unread:{unread}|typing:{typing.length}|online:
        {online.length}
      </p>
      <ol>
        {messages.map((m) => (
          <li key={m.clientId}>{m.body}</li>
        ))}
      </ol>
    </section>
  );
}

// The Next.js example's widget component: mount() only runs in an effect, never on a server.
function Widget({ mount }: { mount: typeof import('@banter/widget').mount }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => mount(ref.current!, { url: '/api/chat', token: 't' }).unmount, [mount]);
  return <div ref={ref} />;
}

describe('@banter/react on a server (no DOM)', () => {
  it('imports the three packages and renders a chat page with the provider making its client', async () => {
    expect(typeof document).toBe('undefined');
    const recorder = recordBrowserGlobals();
    try {
      const react = await import('@banter/react');
      const widget = await import('@banter/widget');
      await import('@banter/core');
      expect(recorder.reads, 'reads while importing').toEqual([]);

      let tokenAsked = false;
      const getToken = () => {
        tokenAsked = true;
        return 'token';
      };
      const html = renderToString(
        <react.BanterProvider options={{ url: '/api/chat', getToken }}>
          <Chat react={react} id="c1" />
          <Widget mount={widget.mount} />
        </react.BanterProvider>,
      );
      expect(text(html)).toContain('connecting|loading:true|list:0|unread:0|typing:0|online:0');
      expect(html).toContain('<ol></ol>');
      expect(tokenAsked).toBe(false); // no client, no request, during server rendering
      expect(recorder.reads, 'reads while rendering').toEqual([]);
    } finally {
      recorder.restore();
    }
  });
});

for (const target of databaseTargets()) {
  describe(`@banter/react server rendering with a client made on the server (${target.name})`, () => {
    let stack: ChatStack;
    beforeAll(async () => {
      stack = await startChatStack(target);
    }, 60_000);
    afterAll(() => stack?.close());

    it('renders what that client loaded', async () => {
      const react = await import('@banter/react');
      const alice = stack.userId('alice');
      const bob = stack.userId('bob');
      const { conversation } = await stack.chat.api.createConversation({ createdBy: bob, participantIds: [bob, alice] });
      await stack.chat.api.sendMessage({ conversationId: conversation.id, senderId: bob, body: 'rendered <on> the server' });
      // A bot or a server component: no realtime in Node, data loaded before rendering.
      const client = createChatClient({ url: stack.url, token: await stack.token(alice), realtime: false });
      await client.ready;
      await client.conversations.list();
      await client.messages.load(conversation.id);
      const html = renderToString(
        <react.BanterProvider client={client}>
          <Chat react={react} id={conversation.id} />
        </react.BanterProvider>,
      );
      client.close();
      expect(html).toContain('<li>rendered &lt;on&gt; the server</li>');
      // The store held the page already: not loading, even though no effect ran.
      expect(text(html)).toContain('connected|loading:false|list:1|unread:1');
    });
  });
}
