import type { ChatClient, ChatState, LocalMessage, ThreadState } from '@banter/core';
import { act, cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { useEffect, useState } from 'preact/hooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Avatar } from '../components/avatar';
import { Composer } from '../components/composer';
import { WidgetContext, type WidgetContextValue } from '../context';
import { mentioned } from '../replies/mentions';
import { FIND_PAGES } from '../replies/quote';
import type { ThreadComposerProps } from '../replies/thread-panel';
import { at, groupConversation, message, participant, translator } from '../../test/chunk-fixtures';
import { Quote, ThreadPanel } from './replies';

const msg = (over: Partial<LocalMessage> = {}) => message({ senderId: 'ann', ...over });

function setup(messages: LocalMessage[], options: { threads?: Record<string, ThreadState>; locale?: string } = {}) {
  let state = {
    me: { id: 'me', name: 'Me' },
    conversations: {
      c1: groupConversation([participant('me', 'Me'), participant('ann', 'Ann Lee'), participant('bob', 'Bob Stone')], messages),
    },
    threads: options.threads,
  } as unknown as ChatState;
  const listeners = new Set<() => void>();
  const drafts = new Map<string, string>();
  const client = {
    store: { getSnapshot: () => state, subscribe: (l: () => void) => (listeners.add(l), () => listeners.delete(l)) },
    drafts: { get: (k: string) => drafts.get(k) ?? '', set: (k: string, v: string) => drafts.set(k, v) },
    messages: { send: vi.fn(), loadThread: vi.fn(async () => ({})) },
    typing: vi.fn(),
    uploadLimits: null,
  } as unknown as ChatClient;
  const tr = translator(options.locale);
  const openThread = vi.fn();
  const value: WidgetContextValue = { client, tr, announce: () => {}, Avatar, openThread };
  const wrap = (children: preact.ComponentChildren) => render(<WidgetContext.Provider value={value}>{children}</WidgetContext.Provider>);
  const setState = (next: Partial<ChatState>) =>
    act(() => {
      state = { ...state, ...next };
      for (const l of listeners) l();
    });
  return { client, wrap, openThread, drafts, setState };
}

afterEach(cleanup);

describe('replies chunk: quotes', () => {
  it('quotes the sender and an excerpt; a click brings the original on screen, focused and highlighted', async () => {
    const original = msg();
    const reply = msg({
      id: 'm2',
      seq: 2,
      clientId: 'k2',
      senderId: 'me',
      body: 'yes',
      replyTo: { id: 'm1', senderId: 'ann', body: 'hello there', deletedAt: null },
    });
    const { wrap } = setup([original, reply]);
    const view = wrap(
      <div class="view-pane">
        <div class="msg" data-seq="1" tabIndex={-1}>
          original
        </div>
        <Quote m={reply} conversationId="c1" />
      </div>,
    );
    const quote = view.getByRole('button', { name: 'Quote of Ann Lee, go to the message' });
    expect(quote.textContent).toBe('Ann Leehello there');
    fireEvent.click(quote);
    const target = view.container.querySelector('.msg')!;
    expect(document.activeElement).toBe(target);
    expect(target.classList.contains('flash')).toBe(true);
  });

  it('a deleted original reads "message deleted" (German: "Nachricht gelöscht")', () => {
    const reply = msg({ id: 'm2', replyTo: { id: 'm1', senderId: 'ann', body: '', deletedAt: at } });
    expect(setup([reply]).wrap(<Quote m={reply} conversationId="c1" />).container.textContent).toBe('Ann Leemessage deleted');
    cleanup();
    expect(setup([reply], { locale: 'de' }).wrap(<Quote m={reply} conversationId="c1" />).container.textContent).toBe(
      'Ann LeeNachricht gelöscht',
    );
  });

  describe('an original older than the loaded pages', () => {
    // The conversation holds seq 61-62 (the reply is 62); each loadOlder puts the 30 before in.
    function older(quoted: { id: string; seq?: number }, total = 62) {
      const reply = msg({
        id: 'r',
        seq: total,
        clientId: 'kr',
        senderId: 'me',
        body: 'yes',
        replyTo: { ...quoted, senderId: 'ann', body: 'hi', deletedAt: null },
      });
      const t = setup([msg({ id: `m${total - 1}`, seq: total - 1, clientId: `k${total - 1}` }), reply]);
      const conv = () => t.client.store.getSnapshot().conversations.c1!;
      Object.assign(conv(), { loaded: true, syncedFrom: total - 1, hasOlder: true });
      const loadOlder = vi.fn(async () => {
        const from = conv().syncedFrom!;
        const start = Math.max(1, from - 30);
        const page = Array.from({ length: from - start }, (_, i) =>
          msg({ id: `m${start + i}`, seq: start + i, clientId: `k${start + i}`, deletedAt: start + i === 5 ? at : null }),
        );
        t.setState({
          conversations: { c1: { ...conv(), messages: [...page, ...conv().messages], syncedFrom: start, hasOlder: start > 1 } },
        });
        return start > 1;
      });
      Object.assign(t.client.messages, { loadOlder });
      function List() {
        const [, render] = useState(0);
        useEffect(() => t.client.store.subscribe(() => render((n) => n + 1)), []);
        return (
          <div class="view-pane">
            {conv().messages.map((m) => (
              <div key={m.clientId} class="msg" data-seq={m.seq} tabIndex={-1}>
                {m.id}
              </div>
            ))}
            <Quote m={reply} conversationId="c1" />
          </div>
        );
      }
      return { ...t, view: t.wrap(<List />), loadOlder };
    }

    it('a click loads the pages back to it (its seq), then brings it on screen, focused and highlighted', async () => {
      const { view, loadOlder } = older({ id: 'm20', seq: 20 });
      fireEvent.click(view.getByRole('button', { name: 'Quote of Ann Lee, go to the message' }));
      expect(view.getByRole('status').textContent).toBe('Finding the message…');
      await waitFor(() => expect(document.activeElement?.textContent).toBe('m20'));
      expect(document.activeElement!.classList.contains('flash')).toBe(true);
      // Two pages (31-60, 1-30), no more.
      expect(loadOlder).toHaveBeenCalledTimes(2);
      expect(view.queryByRole('status')).toBeNull();
    });

    it('a deleted original is found the same way (it reads as deleted in the list)', async () => {
      const { view } = older({ id: 'm5', seq: 5 });
      fireEvent.click(view.getByRole('button', { name: /^Quote of/ }));
      await waitFor(() => expect(document.activeElement?.textContent).toBe('m5'));
    });

    it('without a seq it loads page by page; one that never comes says so, after at most FIND_PAGES pages', async () => {
      const { view, loadOlder } = older({ id: 'gone' }, 5_000);
      fireEvent.click(view.getByRole('button', { name: /^Quote of/ }));
      await waitFor(() => expect(view.getByRole('status').textContent).toBe('The message is too far back or no longer here.'));
      expect(loadOlder).toHaveBeenCalledTimes(FIND_PAGES);
    });

    it('one known to be further back than FIND_PAGES pages loads nothing and says so', async () => {
      const { view, loadOlder } = older({ id: 'm2', seq: 2 }, 5_000);
      fireEvent.click(view.getByRole('button', { name: /^Quote of/ }));
      await waitFor(() => expect(view.getByRole('status').textContent).toBe('The message is too far back or no longer here.'));
      expect(loadOlder).not.toHaveBeenCalled();
    });
  });

  it('"N replies" under a root opens its thread', () => {
    const root = msg({ replyCount: 2 });
    const { wrap, openThread } = setup([root]);
    fireEvent.click(wrap(<Quote m={root} conversationId="c1" below />).getByRole('button', { name: '2 replies' }));
    expect(openThread).toHaveBeenCalledWith(root);
  });
});

describe('replies chunk: the composer', () => {
  it('shows the quote preview, × cancels it, and a send carries replyTo', async () => {
    const original = msg();
    const { wrap, client } = setup([original]);
    const cancel = vi.fn();
    const view = wrap(<Composer conversationId="c1" replyTo={original} onCancelReply={cancel} />);
    await view.findByText('Replying to Ann Lee');
    fireEvent.click(view.getByRole('button', { name: 'Cancel reply' }));
    expect(cancel).toHaveBeenCalledTimes(1);
    const box = view.getByLabelText('Message');
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(cancel).toHaveBeenCalledTimes(2);
    fireEvent.input(box, { target: { value: 'agreed' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(client.messages.send).toHaveBeenCalledWith(
      'c1',
      expect.objectContaining({ body: 'agreed', replyTo: 'm1', mentions: undefined }),
    );
  });

  it('@ and letters offer the other participants: arrows, Enter picks, and the send carries their ids', async () => {
    const { wrap, client } = setup([]);
    const view = wrap(<Composer conversationId="c1" />);
    const box = view.getByLabelText('Message') as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: 'hi @' } });
    const list = await view.findByRole('listbox', { name: 'People to mention' });
    expect([...list.querySelectorAll('[role=option]')].map((o) => o.textContent)).toEqual(['Ann Lee', 'Bob Stone']);
    expect(box.getAttribute('aria-activedescendant')).toBe(list.querySelector('[aria-selected=true]')!.id);
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(list.querySelector('[aria-selected=true]')!.textContent).toBe('Bob Stone');
    expect(box.getAttribute('aria-activedescendant')).toBe(list.querySelector('[aria-selected=true]')!.id);
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(box.value).toBe('hi @Bob Stone ');
    expect(view.queryByRole('listbox')).toBeNull();
    expect(box.hasAttribute('aria-activedescendant')).toBe(false);
    expect(client.messages.send).not.toHaveBeenCalled();
    // Letters narrow the list (any word of the name); Tab picks too; Escape closes without picking.
    fireEvent.input(box, { target: { value: 'hi @Bob Stone and @le' } });
    expect((await view.findAllByRole('option')).map((o) => o.textContent)).toEqual(['Ann Lee']);
    fireEvent.keyDown(box, { key: 'Tab' });
    expect(box.value).toBe('hi @Bob Stone and @Ann Lee ');
    fireEvent.input(box, { target: { value: `${box.value}@b` } });
    await view.findByRole('listbox');
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(view.queryByRole('listbox')).toBeNull();
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(client.messages.send).toHaveBeenCalledWith('c1', expect.objectContaining({ mentions: ['bob', 'ann'] }));
  });

  it('mentions are the picks still named in the text, never ids parsed from it', () => {
    const picks = [
      { id: 'ann', name: 'Ann Lee' },
      { id: 'bob', name: 'Bob' },
    ];
    expect(mentioned('hi @Ann Lee and @carol', picks)).toEqual(['ann']);
    expect(mentioned('hi @ann', picks)).toBeUndefined();
  });
});

describe('replies chunk: the thread panel', () => {
  it('loads the thread, shows root and replies (pending too), its composer sends in the thread; Escape closes', async () => {
    const root = msg({ replyCount: 2 });
    const replies = [msg({ id: 'r1', seq: 2, clientId: 'r1', body: 'first', threadId: 'm1' })];
    const pending = msg({
      id: null,
      seq: null,
      clientId: 'p1',
      senderId: 'me',
      body: 'mine',
      status: 'sending',
      sending: { threadId: 'm1' },
    });
    const thread: ThreadState = { conversationId: 'c1', root, messages: replies, hasOlder: true, loading: false };
    const { wrap, client, setState } = setup([root, pending], { threads: { m1: thread } });
    const composer = vi.fn((props: ThreadComposerProps) => <div data-testid="composer">{props.children}</div>);
    const close = vi.fn();
    const view = wrap(<ThreadPanel conversationId="c1" rootId="m1" Composer={composer} onClose={close} />);
    expect(client.messages.loadThread).toHaveBeenCalledWith('c1', 'm1', { before: undefined });
    expect(view.getByRole('dialog', { name: 'Thread' })).toBeTruthy();
    expect([...view.container.querySelectorAll('.reply .bubble')].map((b) => b.textContent)).toEqual(['hello there', 'first', 'mine']);
    fireEvent.click(view.getByRole('button', { name: 'Earlier replies' }));
    expect(client.messages.loadThread).toHaveBeenLastCalledWith('c1', 'm1', { before: 2 });
    expect(composer.mock.lastCall![0]).toMatchObject({ conversationId: 'c1', threadId: 'm1', showInChannel: false });
    fireEvent.click(view.getByRole('checkbox', { name: 'Also send to conversation' }));
    expect(composer.mock.lastCall![0]).toMatchObject({ showInChannel: true });
    // A reply arriving later shows.
    setState({ threads: { m1: { ...thread, messages: [...replies, msg({ id: 'r2', seq: 3, clientId: 'r2', body: 'second' })] } } });
    await waitFor(() => expect(view.getByText('second')).toBeTruthy());
    fireEvent.keyDown(view.getByRole('checkbox'), { key: 'Escape' });
    expect(close).toHaveBeenCalledTimes(1);
  });
});
