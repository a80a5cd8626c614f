import { LIMITS } from '@banter/core';
import { act, fireEvent, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { sendText, useConversationSetup } from '../../test/conversation';
import { renderConversation } from '../../test/render';

const setup = useConversationSetup();

describe('ConversationView composer, typing and offline', () => {
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

  it('a picked emoji puts the caret after it at once, not on the next frame: a key typed in between goes after it', async () => {
    const { h, id } = setup();
    const view = renderConversation(h.client, id);
    const box = (await view.findByLabelText('Message')) as HTMLTextAreaElement;
    fireEvent.input(box, { target: { value: 'party time' } });
    box.setSelectionRange(5, 5);
    fireEvent.click(view.getByRole('button', { name: 'Insert emoji' }));
    fireEvent.click(await view.findByRole('button', { name: 'party popper' }));
    // A key as the browser types it, before the next frame: at the caret, then an input event.
    const at = box.selectionStart;
    box.value = `${box.value.slice(0, at)}!${box.value.slice(box.selectionEnd)}`;
    box.setSelectionRange(at + 1, at + 1);
    fireEvent.input(box);
    await new Promise((frame) => requestAnimationFrame(frame));
    expect([box.value, box.selectionStart]).toEqual(['party🎉! time', 'party🎉!'.length]);
    expect(document.activeElement).toBe(box);
  });
});
