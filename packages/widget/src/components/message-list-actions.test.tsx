import { fireEvent, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { useConversationSetup } from '../../test/conversation';
import { renderConversation } from '../../test/render';

const setup = useConversationSetup();

describe('MessageList and the message actions chunk', () => {
  // First: a chunk loaded once is there from the first render on (use-chunk.ts).
  it('loads the chunk when the reader reaches the list; the message elements stay (focus and marks kept)', async () => {
    const { h, id } = setup({ count: 3 });
    const view = renderConversation(h.client, id);
    await view.findByText('message 3');
    const before = [...view.container.querySelectorAll<HTMLElement>('.msg')];
    expect(before.map((m) => m.tabIndex)).toEqual([-1, -1, -1]);
    before[0]!.classList.add('search-hit');
    fireEvent.pointerOver(view.scroller());
    // The newest message becomes the list's Tab stop; the others are reached with arrows.
    await waitFor(() => expect(before.map((m) => m.getAttribute('tabindex'))).toEqual(['-1', '-1', '0']));
    expect([...view.container.querySelectorAll('.msg')]).toEqual(before);
    expect(before[0]!.classList.contains('search-hit')).toBe(true);
    before[2]!.focus();
    fireEvent.keyDown(before[2]!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(before[1]);
    fireEvent.keyDown(before[1]!, { key: 'Enter' });
    expect(await view.findByRole('menu', { name: 'Message actions' })).toBeTruthy();
  });

  it('loads it by itself for a message that needs it (reactions, edited, deleted)', async () => {
    const { h, id } = setup({ count: 1 });
    const view = renderConversation(h.client, id);
    await view.findByText('message 1');
    const m = h.client.store.getSnapshot().conversations[id]!.messages[0]!;
    await waitFor(() => expect(h.realtime.channels.get('private-user.me')?.subscribed).toBe(true));
    h.realtime.emit('private-user.me', 'reaction.updated', {
      conversationId: id,
      messageId: m.id,
      seq: m.seq,
      emoji: '👍',
      userId: 'ann',
      reacted: true,
      count: 1,
    });
    expect((await view.findByRole('button', { pressed: false })).textContent).toBe('👍 1');
  });
});
