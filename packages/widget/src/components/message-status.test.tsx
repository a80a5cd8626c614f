import { act, fireEvent, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { refuse } from '../../test/fake-api';
import { sendText, useConversationSetup } from '../../test/conversation';
import { renderConversation } from '../../test/render';

const setup = useConversationSetup();

describe('ConversationView receipts and failed sends', () => {
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
});
