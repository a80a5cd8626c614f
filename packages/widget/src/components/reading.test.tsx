import { act, fireEvent, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { useConversationSetup } from '../../test/conversation';
import { ROW } from '../../test/layout';
import { renderConversation } from '../../test/render';
import { createRequestHealth } from '../request-health';

const setup = useConversationSetup();

describe('reading a conversation', () => {
  it('opens at an "Unread messages" divider above the first unread message, which stays put', async () => {
    const { h, id } = setup({ count: 20, read: 12 });
    const view = renderConversation(h.client, id);
    await view.findByText('message 20');
    const el = view.scroller();
    const divider = view.getByText('Unread messages').closest('.divider')!;
    // Right before message 13, in a group of its own.
    expect(divider.nextElementSibling!.querySelector('.text')!.textContent).toBe('message 13');
    expect(el.scrollTop).toBe(12 * ROW - 24);
    await waitFor(() => expect(h.realtime.channels.has('private-user.me')).toBe(true));
    act(() => void h.receive(id, 'ann', 'one more'));
    await view.findByText('one more');
    expect(view.getAllByText('Unread messages')).toHaveLength(1);
    expect(view.getByRole('button', { name: /New messages/ })).toBeTruthy();
  });

  it('shows no divider when everything is read, and opens at the bottom', async () => {
    const { h, id } = setup({ count: 20 });
    const view = renderConversation(h.client, id);
    await view.findByText('message 20');
    expect(view.queryByText('Unread messages')).toBeNull();
  });

  it('shows each message’s time, and lets bodies, the title and the composer find their direction', async () => {
    const { h, id } = setup({ count: 1 });
    h.api.post(id, 'ann', 'مرحبا بك');
    const view = renderConversation(h.client, id);
    const text = await view.findByText('مرحبا بك');
    expect(text.getAttribute('dir')).toBe('auto');
    expect(view.getByLabelText('Message').getAttribute('dir')).toBe('auto');
    const times = view.container.querySelectorAll('.bubble time');
    expect(times).toHaveLength(2);
    expect(times[0]!.textContent).toMatch(/\d:\d\d/);
    // The messages are a labelled log of labelled lists.
    expect(view.getByRole('log', { name: 'Messages – Ann Lee' })).toBeTruthy();
    const lists = view.getAllByRole('list', { name: 'Ann Lee' });
    expect(lists.flatMap((l) => [...l.querySelectorAll('[role="listitem"]')])).toHaveLength(2);
  });

  it('shows the other person as online from the conversation’s presence', async () => {
    const { h, id } = setup({ count: 1 });
    h.realtime.members = ['me', 'ann'];
    const view = renderConversation(h.client, id);
    await view.findByText('message 1');
    expect(view.queryByRole('img', { name: 'Online' })).toBeNull();
    await h.client.ready;
    h.client.setActiveConversation(id);
    await view.findByRole('img', { name: 'Online' });
  });
});

describe('createRequestHealth', () => {
  it('is failing from a request without an answer (or a 503) until one is answered, or a reset', async () => {
    let answer: () => Promise<Response> = () => Promise.reject(new TypeError('Failed to fetch'));
    const health = createRequestHealth(() => () => answer());
    const changes: boolean[] = [];
    health.subscribe(() => changes.push(health.getSnapshot()));
    await expect(health.fetch('/api/me')).rejects.toThrow('Failed to fetch');
    expect(health.getSnapshot()).toBe(true);
    answer = async () => new Response('{}', { status: 503 });
    await health.fetch('/api/me');
    expect(health.getSnapshot()).toBe(true);
    answer = async () => new Response('{}', { status: 404 });
    await health.fetch('/api/me');
    expect(changes).toEqual([true, false]);
    answer = () => Promise.reject(new TypeError('Failed to fetch'));
    await health.fetch('/api/me').catch(() => {});
    health.reset();
    expect(changes).toEqual([true, false, true, false]);
  });
});

describe('the connection banner', () => {
  it('shows "Reconnecting" as soon as a connected socket drops', async () => {
    const { h, id } = setup({ count: 1 });
    const view = renderConversation(h.client, id);
    await view.findByText('message 1');
    await waitFor(() => expect(h.client.connection.state).toBe('connected'));
    expect(view.queryByRole('status')).toBeNull();
    act(() => h.realtime.setState('connecting'));
    await view.findByText(/Connection lost/);
    act(() => h.realtime.setState('connected'));
    await waitFor(() => expect(view.queryByText(/Connection lost/)).toBeNull());
    fireEvent.scroll(view.scroller());
  });
});
