import type { ChatClient, LocalMessage } from '@banter/core';
import { act, cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Avatar } from '../components/avatar';
import { WidgetContext, type WidgetContextValue } from '../context';
import { loadEmojiPicker } from '../lazy/chunks';
import { at, groupConversation, message as msg, participant, translator } from '../../test/chunk-fixtures';
import { Message } from './message-actions';

const convOf = (messages: LocalMessage[], role: 'member' | 'admin' = 'member') =>
  groupConversation([participant('me', 'Me', role), participant('ann', 'Ann')], messages);

function setup(
  messages: LocalMessage[],
  options: { role?: 'member' | 'admin'; extra?: Partial<WidgetContextValue>; locale?: string } = {},
) {
  const calls: string[] = [];
  const announced: string[] = [];
  const client = {
    messages: {
      edit: vi.fn(async (c: string, m: string, body: string) => void calls.push(`edit ${c} ${m} ${body}`)),
      delete: vi.fn(async (c: string, m: string) => void calls.push(`delete ${c} ${m}`)),
      toggleReaction: vi.fn(async (c: string, m: string, e: string) => void calls.push(`react ${c} ${m} ${e}`)),
    },
  } as unknown as ChatClient;
  const tr = translator(options.locale);
  const conv = convOf(messages, options.role);
  const value: WidgetContextValue = { client, tr, announce: (t) => announced.push(t), Avatar, loadEmojiPicker, ...options.extra };
  const view = render(
    <WidgetContext.Provider value={value}>
      <div class="scroll">
        {messages.map((m) => (
          // As widget.js renders it: its own .msg element around the chunk's part.
          <div key={m.clientId} class="msg">
            <Message m={m} conv={conv} meId="me" who="Me, 10:00: " bubble={<p class="bubble">{m.body}</p>} />
          </div>
        ))}
      </div>
    </WidgetContext.Provider>,
  );
  return { view, calls, announced, client, msgs: () => [...view.container.querySelectorAll<HTMLElement>('.msg')] };
}

const items = (root: HTMLElement) => [...root.querySelectorAll('[role=menuitem]')].map((b) => b.textContent);

afterEach(cleanup);

describe('message actions chunk', () => {
  it('Enter on a focused message opens the menu on its first item; arrows move; Escape closes and focus returns', async () => {
    const { view, msgs } = setup([msg()]);
    const el = msgs()[0]!;
    // The newest message is the list's Tab stop.
    expect(el.tabIndex).toBe(0);
    el.focus();
    fireEvent.keyDown(el, { key: 'Enter' });
    const menu = await view.findByRole('menu', { name: 'Message actions' });
    expect(items(menu)).toEqual(['React', 'Edit', 'Delete']);
    expect(view.getByRole('button', { name: 'Message actions' }).getAttribute('aria-expanded')).toBe('true');
    await waitFor(() => expect(document.activeElement?.textContent).toBe('React'));
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement?.textContent).toBe('Edit');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect(document.activeElement?.textContent).toBe('Delete');
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(view.queryByRole('menu')).toBeNull());
    expect(document.activeElement).toBe(el);
  });

  it('the context-menu key and Shift+F10 open it too; another person’s message has no Edit or Delete, unless I am an admin', async () => {
    const theirs = msg({ id: 'm2', clientId: 'k2', senderId: 'ann' });
    const member = setup([theirs]);
    fireEvent.keyDown(member.msgs()[0]!, { key: 'ContextMenu' });
    expect(items(await member.view.findByRole('menu'))).toEqual(['React']);
    cleanup();
    const admin = setup([theirs], { role: 'admin' });
    fireEvent.keyDown(admin.msgs()[0]!, { key: 'F10', shiftKey: true });
    expect(items(await admin.view.findByRole('menu'))).toEqual(['React', 'Delete']);
  });

  it('Reply and Reply in thread show when the widget has them, and hand over the message', async () => {
    const startReply = vi.fn();
    const openThread = vi.fn();
    const m = msg({ senderId: 'ann' });
    const { view, msgs } = setup([m], { extra: { startReply, openThread } });
    fireEvent.keyDown(msgs()[0]!, { key: 'Enter' });
    expect(items(await view.findByRole('menu'))).toEqual(['React', 'Reply', 'Reply in thread']);
    fireEvent.click(view.getByRole('menuitem', { name: 'Reply in thread' }));
    expect(openThread).toHaveBeenCalledWith(m);
    expect(view.queryByRole('menu')).toBeNull();
    fireEvent.click(view.getByRole('button', { name: 'Message actions' }));
    fireEvent.click(await view.findByRole('menuitem', { name: 'Reply' }));
    expect(startReply).toHaveBeenCalledWith(m);
  });

  it('arrows move between messages; a message not sent yet has no actions', async () => {
    const { view, msgs } = setup([msg(), msg({ id: null, seq: null, clientId: 'k2', status: 'sending', body: 'pending' })]);
    const [first, second] = msgs();
    expect(first!.tabIndex).toBe(-1);
    first!.focus();
    fireEvent.keyDown(first!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(second);
    fireEvent.keyDown(second!, { key: 'Enter' });
    expect(view.queryByRole('menu')).toBeNull();
    expect(second!.querySelector('.more')).toBeNull();
    fireEvent.keyDown(second!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(first);
  });

  it('reaction chips: emoji and count, pressed when I reacted, a click toggles; named for who reacted', async () => {
    const reactions = [
      { emoji: '👍', count: 2, reactedByMe: true },
      { emoji: '🎉', count: 1, reactedByMe: false },
    ];
    const { view, calls } = setup([msg({ reactions })]);
    const chips = view.getAllByRole('button', { pressed: true }).concat(view.getAllByRole('button', { pressed: false }));
    expect(chips.map((c) => [c.textContent, c.getAttribute('aria-label'), c.title])).toEqual([
      ['👍 2', '👍 2, You and 1 other reacted with 👍', 'You and 1 other reacted with 👍'],
      ['🎉 1', '🎉 1, 1 person reacted with 🎉', '1 person reacted with 🎉'],
    ]);
    fireEvent.click(chips[1]!);
    await waitFor(() => expect(calls).toEqual(['react c1 m1 🎉']));
  });

  it('a chip names who reacted when the summary names them all (the reader as You)', () => {
    const reactions = [
      { emoji: '👍', count: 2, reactedByMe: true, userIds: ['ann', 'me'] },
      { emoji: '🎉', count: 12, reactedByMe: false, userIds: ['ann'] },
    ];
    const { view } = setup([msg({ reactions })]);
    expect(view.getAllByRole('button', { name: /^(👍|🎉)/ }).map((c) => c.title)).toEqual([
      'Reacted with 👍: Ann, You',
      '12 people reacted with 🎉',
    ]);
  });

  it('React opens the emoji picker; a pick toggles that reaction and focus returns to the message', async () => {
    const { view, calls, msgs } = setup([msg({ senderId: 'ann' })]);
    fireEvent.keyDown(msgs()[0]!, { key: 'Enter' });
    fireEvent.click(await view.findByRole('menuitem', { name: 'React' }));
    const picker = await view.findByRole('dialog', { name: 'Add reaction' });
    fireEvent.click(picker.querySelector('button[aria-label="fire"]')!);
    await waitFor(() => expect(calls).toEqual(['react c1 m1 🔥']));
    expect(view.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(msgs()[0]);
  });

  it('inline edit: the bubble becomes a box; Escape cancels, Enter saves the new text; "edited" shows', async () => {
    const { view, calls, msgs } = setup([msg()]);
    fireEvent.keyDown(msgs()[0]!, { key: 'Enter' });
    fireEvent.click(await view.findByRole('menuitem', { name: 'Edit' }));
    const box = (await view.findByRole('textbox', { name: 'Edit message' })) as HTMLTextAreaElement;
    expect(box.value).toBe('hello there');
    await waitFor(() => expect(document.activeElement).toBe(box));
    fireEvent.keyDown(box, { key: 'Escape' });
    await waitFor(() => expect(view.queryByRole('textbox')).toBeNull());
    expect(view.getByText('hello there')).toBeTruthy();
    expect(document.activeElement).toBe(msgs()[0]);

    fireEvent.keyDown(msgs()[0]!, { key: 'Enter' });
    fireEvent.click(await view.findByRole('menuitem', { name: 'Edit' }));
    const again = await view.findByRole('textbox', { name: 'Edit message' });
    fireEvent.input(again, { target: { value: '  ' } });
    expect((view.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.input(again, { target: { value: 'hello, edited' } });
    fireEvent.keyDown(again, { key: 'Enter' });
    await waitFor(() => expect(calls).toEqual(['edit c1 m1 hello, edited']));
    expect(view.queryByRole('textbox')).toBeNull();
    cleanup();
    const edited = setup([msg({ editedAt: at, body: 'hello, edited' })]);
    expect(edited.msgs()[0]!.querySelector('.edited')?.textContent).toBe('edited');
  });

  it('delete asks inline first (Cancel focused); Delete deletes; a deleted message says so, without body, files or actions', async () => {
    const { view, calls, msgs } = setup([msg()]);
    fireEvent.keyDown(msgs()[0]!, { key: 'Enter' });
    fireEvent.click(await view.findByRole('menuitem', { name: 'Delete' }));
    const confirm = await view.findByRole('group', { name: 'Delete this message for everyone?' });
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Cancel'));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(view.queryByRole('group', { name: 'Delete this message for everyone?' })).toBeNull();
    expect(calls).toEqual([]);
    expect(confirm.isConnected).toBe(false);

    fireEvent.keyDown(msgs()[0]!, { key: 'Enter' });
    fireEvent.click(await view.findByRole('menuitem', { name: 'Delete' }));
    const again = await view.findByRole('group', { name: 'Delete this message for everyone?' });
    fireEvent.click(again.querySelector('.danger')!);
    await waitFor(() => expect(calls).toEqual(['delete c1 m1']));
    cleanup();

    const gone = setup([msg({ body: '', deletedAt: at, reactions: [{ emoji: '👍', count: 1, reactedByMe: false }] })]);
    const el = gone.msgs()[0]!;
    expect(el.querySelector('.bubble')!.textContent).toBe('Me, 10:00: message deleted');
    expect(el.querySelector('.reacts, .more, .edited')).toBeNull();
    fireEvent.keyDown(el, { key: 'Enter' });
    expect(gone.view.queryByRole('menu')).toBeNull();
  });

  it('a refused change is announced (the client rolled it back)', async () => {
    const { view, client, announced } = setup([msg({ reactions: [{ emoji: '👍', count: 1, reactedByMe: true }] })]);
    vi.mocked(client.messages.toggleReaction).mockRejectedValueOnce(new Error('forbidden'));
    fireEvent.click(view.getByRole('button', { pressed: true }));
    await waitFor(() => expect(announced).toEqual(['That did not work. Try again.']));
  });

  it('a long press on touch opens the menu; a short tap does not', async () => {
    vi.useFakeTimers();
    try {
      const { view, msgs } = setup([msg()]);
      const el = msgs()[0]!;
      fireEvent.pointerDown(el, { pointerType: 'touch' });
      act(() => void vi.advanceTimersByTime(200));
      fireEvent.pointerUp(el, { pointerType: 'touch' });
      act(() => void vi.advanceTimersByTime(1000));
      expect(view.queryByRole('menu')).toBeNull();
      fireEvent.pointerDown(el, { pointerType: 'touch' });
      act(() => void vi.advanceTimersByTime(600));
      expect(view.queryByRole('menu')).not.toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('speaks German in the German locale', async () => {
    const { view, msgs } = setup([msg({ editedAt: at })], { locale: 'de' });
    fireEvent.keyDown(msgs()[0]!, { key: 'Enter' });
    expect(items(await view.findByRole('menu', { name: 'Nachrichtenaktionen' }))).toEqual(['Reagieren', 'Bearbeiten', 'Löschen']);
    expect(msgs()[0]!.querySelector('.edited')?.textContent).toBe('bearbeitet');
  });
});
