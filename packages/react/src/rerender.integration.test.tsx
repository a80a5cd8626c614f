/** @jsxImportSource react */
import { databaseTargets } from '@banter/server/testing';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { sleep, useReactStack, until } from '../test/harness';
import { BanterProvider } from './provider';
import { useMessages } from './use-messages';
import { usePresence, useTyping } from './use-presence';
import { useConnectionState, useUnreadCount } from './use-status';

/** How often each labelled component rendered. */
const renders: Record<string, number> = {};
const count = (label: string) => {
  renders[label] = (renders[label] ?? 0) + 1;
};

function Messages({ id, label }: { id: string; label: string }) {
  count(label);
  const { messages } = useMessages(id, { active: false });
  return <p data-testid={label}>{messages.map((m) => m.body).join(',')}</p>;
}
function Connection() {
  count('connection');
  return <p data-testid="connection">{useConnectionState()}</p>;
}
function Unread({ id, label }: { id?: string; label: string }) {
  count(label);
  return <p data-testid={label}>{useUnreadCount(id)}</p>;
}

function Live({ id }: { id: string }) {
  useMessages(id); // active: joins the presence channel
  const { typing } = useTyping(id);
  const online = usePresence(id);
  const connection = useConnectionState();
  return (
    <p data-testid="live">
      {connection}|typing:{typing.join(',')}|online:{[...online].sort().join(',')}
    </p>
  );
}

for (const target of databaseTargets()) {
  describe(`a component re-renders only when its slice changes (${target.name})`, () => {
    const rs = useReactStack(target);

    it('a message in one conversation re-renders that thread and the unread counts, nothing else', async () => {
      const alice = await rs.connect('alice');
      const bob = await rs.connect('bob');
      const carol = await rs.connect('carol');
      const withBob = await bob.client.conversations.open({ with: alice.userId });
      const withCarol = await carol.client.conversations.open({ with: alice.userId });
      await alice.client.conversations.list();

      render(
        <BanterProvider client={alice.client}>
          <Messages id={withBob.id} label="bob-thread" />
          <Messages id={withCarol.id} label="carol-thread" />
          <Connection />
          <Unread label="unread-total" />
          <Unread id={withCarol.id} label="unread-carol" />
        </BanterProvider>,
      );
      // Both threads loaded (each renders again once for its load), then nothing moves.
      await until(
        'both threads loaded',
        () =>
          alice.client.store.getSnapshot().conversations[withCarol.id]?.loaded &&
          alice.client.store.getSnapshot().conversations[withBob.id]?.loaded,
      );
      await sleep(300);
      const before = { ...renders };
      expect(screen.getByTestId('connection').textContent).toBe('connected');

      bob.client.messages.send(withBob.id, 'one');
      bob.client.messages.send(withBob.id, 'two');
      await until('both arrived', () => screen.getByTestId('bob-thread').textContent === 'one,two');
      await until('the total', () => screen.getByTestId('unread-total').textContent === '2');
      await sleep(300);

      expect(renders['bob-thread']! - before['bob-thread']!).toBeGreaterThanOrEqual(1);
      expect(renders['bob-thread']! - before['bob-thread']!).toBeLessThanOrEqual(2);
      expect(renders['unread-total']! - before['unread-total']!).toBeGreaterThanOrEqual(1);
      // Another conversation's thread and unread count, and the connection, did not render at all.
      expect(renders['carol-thread']).toBe(before['carol-thread']);
      expect(renders['unread-carol']).toBe(before['unread-carol']);
      expect(renders.connection).toBe(before.connection);
      expect(screen.getByTestId('unread-carol').textContent).toBe('0');
    });

    it('typing, presence and the connection state follow the other client and the relay', async () => {
      const alice = await rs.connect('alice-live');
      const bob = await rs.connect('bob-live');
      const conversation = await alice.client.conversations.open({ with: bob.userId });

      render(
        <BanterProvider client={alice.client}>
          <Live id={conversation.id} />
        </BanterProvider>,
      );
      const text = () => screen.getByTestId('live').textContent ?? '';
      await until('alice present', () => text().includes(`online:${alice.userId}`));

      bob.client.setActiveConversation(conversation.id);
      const both = [alice.userId, bob.userId].sort().join(',');
      await until('bob present', () => text().endsWith(`online:${both}`));
      bob.client.typing(conversation.id);
      await until('bob typing', () => text().includes(`typing:${bob.userId}|`));
      // Alice's own typing never shows up in her list.
      alice.client.typing(conversation.id);
      await sleep(200);
      expect(text()).toContain(`typing:${bob.userId}|`);

      await rs.stack.stopRelay();
      await until('offline', () => !text().startsWith('connected'));
      rs.stack.startRelay();
      await until('connected again', () => text().startsWith('connected'), 30_000);
    }, 60_000);
  });
}
