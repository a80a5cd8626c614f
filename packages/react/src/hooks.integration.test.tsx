/** @jsxImportSource react */
import { LIMITS } from '@banter/core';
import { databaseTargets } from '@banter/server/testing';
import { render, renderHook, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { useReactStack, until } from '../test/harness';
import { BanterProvider } from './provider';
import { useConversation, useConversations } from './use-conversations';
import { useMessages } from './use-messages';
import { useSendMessage } from './use-send-message';

function Inbox() {
  const { conversations, loading } = useConversations();
  if (loading) return <p>loading</p>;
  return (
    <ul>
      {conversations.map((c) => (
        <li key={c.conversation.id} data-testid="row">
          {c.conversation.id}: {c.lastMessage?.body ?? '-'}
        </li>
      ))}
    </ul>
  );
}
function Thread({ id }: { id: string }) {
  const { messages } = useMessages(id);
  const { send } = useSendMessage();
  return (
    <>
      <button type="button" onClick={() => send(id, 'hi bob, from a hook')}>
        send
      </button>
      {messages.map((m) => (
        <p key={m.clientId} data-testid="message">
          {m.body}|{m.status}
        </p>
      ))}
    </>
  );
}

for (const target of databaseTargets()) {
  describe(`hooks against the real server and relay (${target.name})`, () => {
    const rs = useReactStack(target);

    it('lists conversations and shows messages both ways: the hook sends, the other client receives, and back', async () => {
      const alice = await rs.connect('alice');
      const bob = await rs.connect('bob');
      const conversation = await bob.client.conversations.open({ with: alice.userId });

      render(
        <BanterProvider client={alice.client}>
          <Inbox />
          <Thread id={conversation.id} />
        </BanterProvider>,
      );
      await screen.findByText(`${conversation.id}: -`, undefined, { timeout: 10_000 });

      bob.client.messages.send(conversation.id, 'hello alice');
      await screen.findByText('hello alice|sent', undefined, { timeout: 10_000 });
      expect(screen.getByTestId('row').textContent).toBe(`${conversation.id}: hello alice`);

      screen.getByText('send').click();
      await screen.findByText('hi bob, from a hook|sending');
      // Alice's thread is active, so Bob's message was read: hers turns `read` once Bob reads it.
      expect(screen.getAllByTestId('message').map((p) => p.textContent)).toEqual(['hello alice|sent', 'hi bob, from a hook|sending']);
      await bob.client.messages.load(conversation.id);
      await until('bob received the hook message', () =>
        bob.client.store.getSnapshot().conversations[conversation.id]?.messages.some((m) => m.body === 'hi bob, from a hook'),
      );
      await screen.findByText('hi bob, from a hook|sent', undefined, { timeout: 10_000 });
      await bob.client.markRead(conversation.id);
      await screen.findByText('hi bob, from a hook|read', undefined, { timeout: 10_000 });
    });

    it('useMessages pages back with loadOlder until the start of the history', async () => {
      const bob = rs.stack.userId('bob-older');
      const { conversation } = await rs.stack.chat.api.createConversation({
        createdBy: bob,
        participantIds: [bob, rs.stack.userId('alice-older')],
      });
      for (let i = 1; i <= 75; i++) await rs.stack.chat.api.sendMessage({ conversationId: conversation.id, senderId: bob, body: `m${i}` });
      // Connected after the history was written, so only the hook's pages bring it.
      const alice = await rs.connect('alice-older');

      const wrapper = ({ children }: { children: ReactNode }) => <BanterProvider client={alice.client}>{children}</BanterProvider>;
      const { result } = renderHook(() => useMessages(conversation.id, { active: false }), { wrapper });
      await until('the latest page', () => !result.current.loading);
      expect(result.current.error).toBeNull();
      expect(result.current.hasOlder).toBe(true);
      expect(result.current.messages.at(-1)?.body).toBe('m75');
      const firstPage = result.current.messages.length;
      expect(firstPage).toBeLessThan(75);

      let more = true;
      while (more) more = await result.current.loadOlder();
      await until('the whole history', () => result.current.messages.length === 75);
      expect(result.current.hasOlder).toBe(false);
      expect(result.current.loadingOlder).toBe(false);
      expect(result.current.messages.map((m) => m.body)).toEqual(Array.from({ length: 75 }, (_, i) => `m${i + 1}`));
    });

    it('useConversation fetches one the store does not hold, and reports not_found for an unknown id', async () => {
      const alice = await rs.connect('alice-one');
      const carol = rs.stack.userId('carol-one');
      const { conversation } = await rs.stack.chat.api.createConversation({
        createdBy: carol,
        participantIds: [carol, alice.userId],
        title: 'Launch',
      });
      const wrapper = ({ children }: { children: ReactNode }) => <BanterProvider client={alice.client}>{children}</BanterProvider>;

      const known = renderHook(() => useConversation(conversation.id), { wrapper });
      expect(known.result.current.loading).toBe(true);
      await until('the conversation', () => known.result.current.conversation);
      expect(known.result.current.conversation?.conversation.title).toBe('Launch');
      expect(known.result.current.error).toBeNull();

      const unknown = renderHook(() => useConversation('00000000-0000-4000-8000-000000000000'), { wrapper });
      await until('the error', () => unknown.result.current.error);
      expect(unknown.result.current.error?.code).toBe('not_found');
      expect(unknown.result.current).toMatchObject({ conversation: null, loading: false });
    });

    it('useSendMessage: a refused body turns failed and can be discarded; a retry resends the same clientId', async () => {
      const alice = await rs.connect('alice-send');
      const bob = rs.stack.userId('bob-send');
      const conversation = await alice.client.conversations.open({ with: bob });
      const wrapper = ({ children }: { children: ReactNode }) => <BanterProvider client={alice.client}>{children}</BanterProvider>;
      const { result } = renderHook(() => ({ thread: useMessages(conversation.id, { active: false }), actions: useSendMessage() }), {
        wrapper,
      });
      await until('loaded', () => !result.current.thread.loading);
      const actions = result.current.actions;

      const tooLong = actions.send(conversation.id, 'x'.repeat(LIMITS.messageLength + 1));
      await until('failed', () => result.current.thread.messages.find((m) => m.clientId === tooLong.clientId)?.status === 'failed');
      expect(result.current.actions).toBe(actions); // stable: no re-render of components that only send
      expect(actions.discard(tooLong.clientId)).toBe(true);
      await until('discarded', () => result.current.thread.messages.length === 0);

      const ok = actions.send(conversation.id, 'fine');
      await until('sent', () => result.current.thread.messages.find((m) => m.clientId === ok.clientId)?.status === 'sent');
      actions.retry(ok.clientId);
      const page = await rs.stack.chat.api.listMessages(alice.userId, conversation.id);
      expect(page?.messages.map((m) => m.body)).toEqual(['fine']);
    });
  });
}
