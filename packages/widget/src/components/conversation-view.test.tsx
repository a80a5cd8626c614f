import { LIMITS } from '@banter/core';
import { act, cleanup, fireEvent, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refuse } from '../../test/fake-api';
import { createHarness, type Harness } from '../../test/harness';
import { bottomOf, installLayout } from '../../test/layout';
import { renderConversation } from '../../test/render';

let uninstall: () => void;
const clients: Harness[] = [];
beforeEach(() => {
  uninstall = installLayout();
});
afterEach(() => {
  cleanup();
  uninstall();
  while (clients.length) clients.pop()!.client.close();
});

/** Me and Ann in a direct conversation (Bob joins for groups), with `count` messages from Ann. */
function setup(options: { count?: number; group?: boolean; unread?: boolean } = {}) {
  let id = '';
  const h = createHarness((api) => {
    api.addUser('ann', 'Ann Lee');
    api.addUser('bob', 'Bob Stone');
    id = options.group ? api.addConversation(['me', 'ann', 'bob'], { title: 'Team' }) : api.addConversation(['me', 'ann']);
    for (let i = 1; i <= (options.count ?? 0); i++) api.post(id, 'ann', `message ${i}`);
    // Read already, unless the test wants unread messages (they open at an "Unread messages" divider).
    if (!options.unread) api.read(id, 'me', options.count ?? 0);
  });
  clients.push(h);
  return { h, id };
}

async function sendText(view: ReturnType<typeof renderConversation>, text: string) {
  const box = await view.findByLabelText('Message');
  fireEvent.input(box, { target: { value: text } });
  fireEvent.keyDown(box, { key: 'Enter' });
}

describe('ConversationView', () => {
  it('groups messages by sender and by day', async () => {
    const { h, id } = setup();
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    h.api.post(id, 'ann', 'old one', null, yesterday);
    h.api.post(id, 'ann', 'a1', null, new Date(Date.now() - 60_000).toISOString());
    h.api.post(id, 'ann', 'a2', null, new Date(Date.now() - 50_000).toISOString());
    h.api.post(id, 'me', 'm1', null, new Date(Date.now() - 40_000).toISOString());
    h.api.post(id, 'ann', 'a3', null, new Date(Date.now() - 30_000).toISOString());
    const view = renderConversation(h.client, id);
    await view.findByText('a3');
    expect([...view.container.querySelectorAll('h3.day')].map((d) => d.textContent)).toEqual(['Yesterday', 'Today']);
    const groups = [...view.container.querySelectorAll('.group')].map((g) => [
      g.getAttribute('data-sender'),
      [...g.querySelectorAll('.bubble')].map((b) => b.querySelector('.text')!.textContent),
    ]);
    expect(groups).toEqual([
      ['ann', ['old one']],
      ['ann', ['a1', 'a2']],
      ['me', ['m1']],
      ['ann', ['a3']],
    ]);
    // Initials stand in for a missing avatar.
    expect(view.container.querySelector('.group .avatar')!.textContent).toBe('AL');
  });

  it('opens at the bottom and keeps the scroll position when older messages load at the top', async () => {
    const { h, id } = setup({ count: LIMITS.pageDefault + 10 });
    const view = renderConversation(h.client, id);
    await view.findByText(`message ${LIMITS.pageDefault + 10}`);
    const el = view.scroller();
    expect(el.querySelectorAll('.msg')).toHaveLength(LIMITS.pageDefault);
    expect(el.scrollTop).toBe(bottomOf(el));

    expect(view.getByRole('button', { name: 'Load earlier messages' })).toBeTruthy();
    // At the top, the older page loads above; what was on screen must stay where it was.
    const topMessage = () => el.querySelectorAll('.msg')[Math.floor(el.scrollTop / 50)]!.textContent;
    el.scrollTop = 0;
    fireEvent.scroll(el);
    expect(topMessage()).toContain('message 11');
    await view.findByText('message 1');
    expect(el.querySelectorAll('.msg')).toHaveLength(LIMITS.pageDefault + 10);
    expect(el.scrollTop).toBe(10 * 50);
    expect(topMessage()).toContain('message 11');
    expect(view.queryByText('Load earlier messages')).toBeNull();
  });

  it('follows new messages at the bottom and shows a "New messages" pill when scrolled up', async () => {
    const { h, id } = setup({ count: 10 });
    const view = renderConversation(h.client, id);
    await view.findByText('message 10');
    await h.client.ready;
    await waitFor(() => expect(h.realtime.channels.has('private-user.me')).toBe(true));
    const el = view.scroller();

    act(() => void h.receive(id, 'ann', 'while at the bottom'));
    await view.findByText('while at the bottom');
    expect(el.scrollTop).toBe(bottomOf(el));
    expect(view.queryByRole('button', { name: /New messages/ })).toBeNull();

    el.scrollTop = 0;
    fireEvent.scroll(el);
    act(() => void h.receive(id, 'ann', 'while reading old ones'));
    await view.findByText('while reading old ones');
    expect(el.scrollTop).toBe(0);
    const pill = view.getByRole('button', { name: /New messages/ });
    expect(view.announced.at(-1)).toBe('New message from Ann Lee: while reading old ones');

    fireEvent.click(pill);
    expect(el.scrollTop).toBe(bottomOf(el));
    expect(view.queryByRole('button', { name: /New messages/ })).toBeNull();
  });

  it('scrolls to the bottom when I send, even when scrolled up', async () => {
    const { h, id } = setup({ count: 10 });
    const view = renderConversation(h.client, id);
    await view.findByText('message 10');
    const el = view.scroller();
    el.scrollTop = 0;
    fireEvent.scroll(el);
    await sendText(view, 'mine');
    await view.findByText('mine');
    expect(el.scrollTop).toBe(bottomOf(el));
  });

  it('shows Sending…, then Sent, then Read from the other participant’s cursor', async () => {
    const { h, id } = setup({ count: 1 });
    let release!: () => void;
    h.api.onSend = () => new Promise<null>((resolve) => (release = () => resolve(null)));
    const view = renderConversation(h.client, id);
    await view.findByText('message 1');
    await sendText(view, 'hello Ann');
    await view.findByText('Sending…');
    await waitFor(() => expect(release).toBeTypeOf('function'));
    release();
    await view.findByText('Sent');
    expect(view.queryByText('Sending…')).toBeNull();
    await waitFor(() => expect(h.realtime.channels.has('private-user.me')).toBe(true));
    act(() => h.readBy(id, 'ann', 2));
    await view.findByText('Read');
  });

  it('shows Read only under my latest read message and Sent only under a newer one; failed always shows', async () => {
    const { h, id } = setup();
    const seqs = ['one', 'two', 'three'].map((body) => h.api.post(id, 'me', body).seq);
    h.api.read(id, 'ann', seqs[1]!);
    const view = renderConversation(h.client, id);
    await view.findByText('three');
    const statusOf = (text: string) => view.getByText(text).closest('.msg')!.querySelector('.status')?.textContent ?? null;
    await waitFor(() => expect(view.getAllByText('Read', { selector: '.status' })).toHaveLength(1));
    expect(view.getAllByText('Sent', { selector: '.status' })).toHaveLength(1);
    expect(['one', 'two', 'three'].map(statusOf)).toEqual([null, 'Read', 'Sent']);
    // Screen readers still hear the receipt of the others.
    const hidden = () => [...view.container.querySelectorAll('.msg')].map((m) => m.querySelector(':scope > .sr')?.textContent ?? null);
    expect(hidden()).toEqual(['Read', null, null]);

    h.api.onSend = refuse;
    await sendText(view, 'four');
    await view.findByText('Not sent.');
    expect(statusOf('four')).toBe('Not sent.RetryDiscard');
    expect(['one', 'two', 'three'].map(statusOf)).toEqual([null, 'Read', 'Sent']);

    // Ann reads everything: the Read moves to "three", "two" keeps it for screen readers only.
    await waitFor(() => expect(h.realtime.channels.has('private-user.me')).toBe(true));
    act(() => h.readBy(id, 'ann', seqs[2]!));
    await waitFor(() => expect(['one', 'two', 'three'].map(statusOf)).toEqual([null, null, 'Read']));
    expect(view.getAllByText('Read', { selector: '.status' })).toHaveLength(1);
    expect(hidden()).toEqual(['Read', 'Read', null, null]);
    expect(statusOf('four')).toBe('Not sent.RetryDiscard');
  });

  it('keeps the receipt of an earlier message of mine for screen readers only', async () => {
    const { h, id } = setup();
    h.api.post(id, 'me', 'first');
    h.api.post(id, 'ann', 'between');
    const last = h.api.post(id, 'me', 'second');
    h.api.read(id, 'ann', last.seq);
    const view = renderConversation(h.client, id);
    await view.findByText('second');
    const first = view.getByText('first').closest('.msg')!;
    await waitFor(() => expect(view.getByText('second').closest('.msg')!.querySelector('.status')?.textContent).toBe('Read'));
    expect(first.querySelector('.status')).toBeNull();
    expect(first.querySelector(':scope > .sr')?.textContent).toBe('Read');
  });

  it('shows "Read by n of m" in a group, naming the readers on hover or focus', async () => {
    const { h, id } = setup({ group: true, count: 1 });
    const view = renderConversation(h.client, id);
    await view.findByText('message 1');
    await sendText(view, 'hi team');
    await view.findByText('Sent');
    await waitFor(() => expect(h.realtime.channels.has('private-user.me')).toBe(true));
    act(() => h.readBy(id, 'ann', 2));
    const receipt = await view.findByRole('button', { name: 'Read by 1 of 2' });
    // Focusable, and described by the tooltip naming the readers (shown on hover and focus).
    const tip = view.container.querySelector(`#${receipt.getAttribute('aria-describedby')}`)!;
    expect(tip.getAttribute('role')).toBe('tooltip');
    expect(tip.textContent).toBe('Read by Ann Lee');
    act(() => h.readBy(id, 'bob', 2));
    await view.findByText('Read by 2 of 2');
    // A newer message of mine: Sent under it, the one "Read by" line stays where the readers are.
    await sendText(view, 'anyone?');
    await view.findByText('Sent');
    expect(view.getAllByText(/^Read by \d of \d$/, { selector: '.status button' })).toHaveLength(1);
    expect(view.getByText('hi team').closest('.msg')!.querySelector('.status')!.textContent).toMatch(/^Read by 2 of 2/);
    // Group messages from others carry the sender's name.
    expect(view.getByText('Ann Lee', { selector: '.sender' })).toBeTruthy();
  });

  it('marks a refused message as failed, with Retry and Discard', async () => {
    const { h, id } = setup();
    h.api.onSend = refuse;
    const view = renderConversation(h.client, id);
    await view.findByText('No messages yet. Say hello!');
    await sendText(view, 'first try');
    await view.findByText('Not sent.');
    h.api.onSend = null;
    fireEvent.click(view.getByRole('button', { name: 'Retry' }));
    await view.findByText('Sent');
    expect(view.queryByText('Not sent.')).toBeNull();
    expect(h.api.view(id).lastMessage?.body).toBe('first try');

    h.api.onSend = refuse;
    await sendText(view, 'never mind');
    await view.findByText('Not sent.');
    fireEvent.click(view.getByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(view.queryByText('never mind')).toBeNull());
  });

  it('shows who is typing in the open conversation', async () => {
    const { h, id } = setup({ group: true });
    const view = renderConversation(h.client, id);
    await view.findByText('No messages yet. Say hello!');
    await h.client.ready;
    h.client.setActiveConversation(id);
    await waitFor(() => expect(h.realtime.channels.get(`presence-conversation.${id}`)?.subscribed).toBe(true));
    act(() => h.typingBy(id, 'ann'));
    await view.findByText('Ann Lee is typing…');
    act(() => h.typingBy(id, 'bob'));
    await view.findByText('Ann Lee and Bob Stone are typing…');
    // Their message ends their typing.
    act(() => void h.receive(id, 'ann', 'done typing'));
    await view.findByText('Bob Stone is typing…');
  });

  it('tells the others I am typing', async () => {
    const { h, id } = setup();
    const view = renderConversation(h.client, id);
    await view.findByText('No messages yet. Say hello!');
    await h.client.ready;
    h.client.setActiveConversation(id);
    await waitFor(() => expect(h.realtime.channels.get(`presence-conversation.${id}`)?.subscribed).toBe(true));
    fireEvent.input(view.getByLabelText('Message'), { target: { value: 'h' } });
    expect(h.realtime.triggered).toEqual([{ channel: `presence-conversation.${id}`, event: 'client-typing', data: { userId: 'me' } }]);
  });

  it('shows a banner while offline and sends the queued message when the connection is back', async () => {
    const { h, id } = setup();
    const view = renderConversation(h.client, id);
    await view.findByText('No messages yet. Say hello!');
    await waitFor(() => expect(h.client.connection.state).toBe('connected'));
    act(() => h.realtime.setState('unavailable'));
    await view.findByText(/You are offline/);
    await sendText(view, 'queued');
    await view.findByText('Sending…');
    expect(h.api.requests.some((r) => r.startsWith('POST') && r.endsWith('/messages'))).toBe(false);
    act(() => h.realtime.setState('connected'));
    await view.findByText('Sent');
    expect(view.queryByText(/You are offline/)).toBeNull();
  });

  it('renders message bodies as text: no HTML from a message reaches the DOM', async () => {
    const { h, id } = setup();
    const evil =
      '<img src=x onerror="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)">x</a> javascript:alert(4) see https://ok.example/p?q=<b>';
    h.api.post(id, 'ann', evil);
    const view = renderConversation(h.client, id);
    const bubble = (await view.findByText(/onerror/)).closest('.bubble')!;
    expect(view.container.querySelector('img, script, b, iframe')).toBeNull();
    expect(bubble.textContent).toContain(evil);
    const links = [...bubble.querySelectorAll('a')];
    expect(links.map((a) => [a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target')])).toEqual([
      ['https://ok.example/p?q=', 'noopener noreferrer', '_blank'],
    ]);
  });

  it('sends on Enter, adds a line on Shift+Enter, and shows the length limit before it is hit', async () => {
    const { h, id } = setup();
    const view = renderConversation(h.client, id);
    const box = (await view.findByLabelText('Message')) as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: 'line one' } });
    expect(fireEvent.keyDown(box, { key: 'Enter', shiftKey: true })).toBe(true); // not prevented: a new line
    expect(fireEvent.keyDown(box, { key: 'Enter', isComposing: true })).toBe(true); // IME confirmation
    expect(view.queryByText('line one', { selector: '.bubble *, .bubble' })).toBeNull();

    fireEvent.input(box, { target: { value: 'x'.repeat(LIMITS.messageLength - 10) } });
    expect(view.getByText('10 characters left')).toBeTruthy();
    expect(view.getByRole('button', { name: 'Send' }).hasAttribute('disabled')).toBe(false);
    fireEvent.input(box, { target: { value: 'x'.repeat(LIMITS.messageLength + 1) } });
    expect(view.getByText('1 character over the limit')).toBeTruthy();
    expect(view.getByRole('button', { name: 'Send' }).hasAttribute('disabled')).toBe(true);
    expect(box.getAttribute('aria-invalid')).toBe('true');
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(h.client.store.getSnapshot().conversations[id]!.messages).toHaveLength(0);

    fireEvent.input(box, { target: { value: 'ok now' } });
    expect(view.queryByText(/characters left/)).toBeNull();
    expect(fireEvent.keyDown(box, { key: 'Enter' })).toBe(false);
    await view.findByText('ok now');
    expect(box.value).toBe('');
  });
});
