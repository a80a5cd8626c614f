import { LIMITS } from '@banter/core';
import { act, fireEvent, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { sendText, useConversationSetup } from '../../test/conversation';
import { bottomOf } from '../../test/layout';
import { renderConversation } from '../../test/render';

const setup = useConversationSetup();

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
});
