import { act, fireEvent, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { shadowOf } from '../test/dom';
import { unauthorized } from '../test/fake-api';
import { createHarness, type Harness } from '../test/harness';
import { TestResizeObserver } from '../test/resize-observer';
import { mount, type MountedWidget } from './mount';

const widgets: MountedWidget[] = [];
const harnesses: Harness[] = [];
beforeEach(() => {
  TestResizeObserver.instances = [];
  vi.stubGlobal('ResizeObserver', TestResizeObserver);
});
afterEach(() => {
  while (widgets.length) widgets.pop()!.unmount();
  while (harnesses.length) harnesses.pop()!.client.close();
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

/** Me, Ann (a direct conversation with 2 unread) and a group with Bob, older. */
function setup() {
  const ids = { ann: '', team: '' };
  const h = createHarness((api) => {
    api.addUser('ann', 'Ann Lee');
    api.addUser('bob', 'Bob Stone', 'https://img.example/bob.png');
    ids.team = api.addConversation(['me', 'ann', 'bob'], { title: 'Team' });
    api.post(ids.team, 'bob', 'standup at 10');
    api.post(ids.team, 'me', 'ok');
    ids.ann = api.addConversation(['me', 'ann']);
    api.post(ids.ann, 'ann', 'Hello there');
    api.post(ids.ann, 'ann', 'Are you around?');
  });
  harnesses.push(h);
  const el = document.createElement('div');
  document.body.append(el);
  const put = (options: Parameters<typeof mount>[1]) => {
    const widget = mount(el, options);
    widgets.push(widget);
    return { widget, ...shadowOf(el) };
  };
  return { h, el, ids, put };
}

describe('mount', () => {
  it('notifications: the switch (a lazy chunk) is in the list header only with the option', async () => {
    vi.stubGlobal('Notification', { permission: 'default', requestPermission: async () => 'default' });
    const { h, put } = setup();
    const s = put({ client: h.client, mode: 'inbox', notifications: { serviceWorker: false } });
    const bell = await s.findByRole('button', { name: 'Turn on notifications' });
    expect(bell.closest('header')).not.toBeNull();
    expect(bell.getAttribute('aria-pressed')).toBe('false');
    const { h: other, put: putOther } = setup();
    const without = putOther({ client: other.client, mode: 'inbox' });
    await without.findByText('Team');
    expect(without.queryByRole('button', { name: 'Turn on notifications' })).toBeNull();
  });

  it('renders into a shadow root styled only by an adopted stylesheet (CSP-safe, no leaks)', async () => {
    const { el, h, put } = setup();
    el.innerHTML = '<p>host content</p>';
    const s = put({ client: h.client, mode: 'inline', conversationWith: 'ann' });
    await s.findByText('Hello there');
    expect(el.querySelector('p')!.textContent).toBe('host content');
    expect(s.root.adoptedStyleSheets).toHaveLength(1);
    const css = [...s.root.adoptedStyleSheets[0]!.cssRules].map((r) => r.cssText).join('\n');
    expect(css).toMatch(/:host\s*\{[^}]*all:\s*initial/);
    // No <style> elements and no style="" attributes: a strict CSP (style-src without 'unsafe-inline') applies.
    expect(s.root.querySelector('style, [style]')).toBeNull();
    expect(el.querySelector('[data-banter-widget] [style], style')).toBeNull();
  });

  it('applies the theme through custom properties and the colour scheme class', async () => {
    const { h, el, put } = setup();
    const s = put({
      client: h.client,
      mode: 'inline',
      theme: { scheme: 'dark', accent: '#0f766e', radius: '6px', font: 'Georgia, serif' },
    });
    const host = el.querySelector<HTMLElement>('[data-banter-widget]')!;
    expect(host.style.getPropertyValue('--banter-accent')).toBe('#0f766e');
    expect(host.style.getPropertyValue('--banter-radius')).toBe('6px');
    expect(host.style.getPropertyValue('--banter-font')).toBe('Georgia, serif');
    expect(s.root.querySelector('.root')!.classList.contains('dark')).toBe(true);
    widgets.pop()!.unmount();
    const t = put({ client: h.client, mode: 'inline', theme: 'light' });
    expect(t.root.querySelector('.root')!.classList.contains('light')).toBe(true);
  });

  it('speaks the locale given', async () => {
    const { h, put } = setup();
    const s = put({ client: h.client, mode: 'inline', conversationWith: 'ann', locale: 'de' });
    await s.findByText('Hello there');
    expect(s.getByLabelText('Nachricht').getAttribute('placeholder')).toBe('Nachricht schreiben…');
    expect(s.getByRole('button', { name: 'Senden' })).toBeTruthy();
  });

  it('unmount removes everything and leaves a passed-in client open', async () => {
    const { h, el, put } = setup();
    const s = put({ client: h.client, mode: 'inbox' });
    await s.findByText('Team');
    fireEvent.click(s.getByText('Ann Lee', { selector: '.conv-name' }));
    await s.findByText('Hello there');
    await waitFor(() => expect(h.client.store.getSnapshot().activeConversationId).not.toBeNull());
    widgets.pop()!.unmount();
    expect(el.childNodes).toHaveLength(0);
    expect(TestResizeObserver.instances.every((ro) => ro.disconnected)).toBe(true);
    expect(h.client.store.getSnapshot().activeConversationId).toBeNull();
    // Still usable by its owner.
    await h.client.conversations.list();
    expect(h.client.connection.state).toBe('connected');
  });

  it('creates its own client from url and token, and closes it on unmount', async () => {
    const { h, put } = setup();
    const s = put({
      url: 'http://chat.test/api',
      token: 'test-token',
      fetch: h.api.fetch,
      realtime: { Pusher: h.realtime.Pusher, config: { key: 'test', wsHost: 'chat.test' } },
      mode: 'inline',
      conversationWith: 'ann',
    });
    await s.findByText('Hello there');
    await waitFor(() => expect(h.realtime.state).toBe('connected'));
    expect(s.widget.client).not.toBe(h.client);
    widgets.pop()!.unmount();
    expect(h.realtime.state).toBe('disconnected');
  });

  it('unreadInTitle: the tab title shows the unread total while there is any, and loses it on unmount', async () => {
    const { h, put } = setup();
    document.title = 'Shop';
    put({ client: h.client, unreadInTitle: true });
    await waitFor(() => expect(document.title).toBe('(2) Shop'));
    widgets.pop()!.unmount();
    expect(document.title).toBe('Shop');
  });

  it('popup: a launcher with the unread badge opens the chat; Escape closes it and refocuses the launcher', async () => {
    const { h, ids, put } = setup();
    const s = put({ client: h.client });
    const launcher = await s.findByRole('button', { name: 'Open chat, 2 unread messages' });
    expect(launcher.querySelector('.count')!.textContent).toBe('2');
    expect(s.queryByRole('dialog')).toBeNull();
    fireEvent.click(launcher);
    const dialog = s.getByRole('dialog', { name: /^Chat/ });
    // Closed, nothing was marked read; open on a conversation, it is.
    expect(h.api.requests.filter((r) => r.includes('/read'))).toEqual([]);
    fireEvent.click(await s.findByText('Ann Lee', { selector: '.conv-name' }));
    await s.findByText('Are you around?');
    await waitFor(() => expect(h.api.requests).toContain(`POST /conversations/${ids.ann}/read`), { timeout: 2000 });
    await waitFor(() => expect(s.queryByText('2', { selector: '.count' })).toBeNull());
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(s.queryByRole('dialog')).toBeNull();
    expect(s.root.activeElement).toBe(s.getByRole('button', { name: 'Open chat' }));
  });

  it('popup with conversationWith opens straight into that conversation', async () => {
    const { h, put } = setup();
    const s = put({ client: h.client, mode: 'popup', conversationWith: 'ann', open: true });
    await s.findByText('Hello there');
    expect(s.queryByRole('button', { name: 'Back to conversations' })).toBeNull();
    const dialog = s.getByRole('dialog');
    fireEvent.click(dialog.querySelector<HTMLElement>('header button[aria-label="Close chat"]')!);
    expect(s.queryByRole('dialog')).toBeNull();
  });

  it('inbox: list and conversation side by side when the host is wide, one at a time when narrow', async () => {
    const { h, el, put } = setup();
    const s = put({ client: h.client, mode: 'inbox' });
    const host = el.querySelector('[data-banter-widget]')!;
    await waitFor(() => expect(TestResizeObserver.instances[0]?.targets.has(host)).toBe(true));
    act(() => TestResizeObserver.resize(host, 900));
    await s.findByText('Team');
    expect(s.getByText('Choose a conversation.')).toBeTruthy();
    fireEvent.click(s.getByText('Ann Lee', { selector: '.conv-name' }));
    await s.findByText('Hello there');
    expect(s.getByRole('navigation', { name: /^Conversations/ })).toBeTruthy();
    expect(s.queryByRole('button', { name: 'Back to conversations' })).toBeNull();

    act(() => TestResizeObserver.resize(host, 400));
    expect(s.queryByRole('navigation', { name: /^Conversations/ })).toBeNull();
    fireEvent.click(s.getByRole('button', { name: 'Back to conversations' }));
    expect(s.getByRole('navigation', { name: /^Conversations/ })).toBeTruthy();
    expect(s.queryByText('Hello there')).toBeNull();
  });

  it('announces new messages from others through its aria-live region', async () => {
    const { h, ids, put } = setup();
    const s = put({ client: h.client, mode: 'inline', conversationWith: 'ann' });
    await s.findByText('Hello there');
    await waitFor(() => expect(h.realtime.channels.has('private-user.me')).toBe(true));
    act(() => void h.receive(ids.ann, 'ann', 'Ping!'));
    const live = s.root.querySelector('[aria-live="polite"]')!;
    await waitFor(() => expect(live.textContent).toBe('New message from Ann Lee: Ping!'));
  });

  it('shows an error inside the widget, and throws nothing into the page, when the token is refused', async () => {
    const { h, put } = setup();
    h.api.onRequest = () => unauthorized();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const s = put({
      url: 'http://chat.test/api',
      token: 'expired',
      fetch: h.api.fetch,
      realtime: false,
      mode: 'inline',
      conversationWith: 'ann',
    });
    await s.findByText('Could not load the chat.');
    expect(s.getByRole('alert')).toBeTruthy();
    expect(String(logged.mock.calls[0])).toMatch(/unauthorized|invalid token/);
    logged.mockRestore();
  });

  it('refuses something that is not an element', () => {
    expect(() => mount(null as unknown as Element, { url: '/api' })).toThrow(/element must be a DOM element/);
  });
});

describe('conversation list', () => {
  it('is ordered by latest activity, with previews, unread counts, names and avatars, and stays live', async () => {
    const { h, ids, put } = setup();
    const s = put({ client: h.client, mode: 'inline' });
    await s.findByText('Team');
    const rows = () =>
      [...s.root.querySelectorAll('.conv')].map((row) => ({
        name: row.querySelector('.conv-name')!.textContent,
        preview: row.querySelector('.conv-preview span')!.textContent,
        unread: row.querySelector('.count')?.textContent ?? null,
        avatar: row.querySelector('.avatar img')?.getAttribute('src') ?? row.querySelector('.avatar')!.textContent,
      }));
    expect(rows()).toEqual([
      { name: 'Ann Lee', preview: 'Are you around?', unread: '2', avatar: 'AL' },
      { name: 'Team', preview: 'You: ok', unread: null, avatar: 'T' },
    ]);
    await waitFor(() => expect(h.realtime.channels.has('private-user.me')).toBe(true));
    act(() => void h.receive(ids.team, 'bob', 'moved to 11'));
    await waitFor(() => expect(rows()[0]).toEqual({ name: 'Team', preview: 'Bob Stone: moved to 11', unread: '1', avatar: 'T' }));
    expect(s.getByRole('navigation', { name: /^Conversations/ })).toBeTruthy();
  });
});

describe('moderation states', () => {
  const answer = (body: object) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

  it('a muted conversation shows no unread badge (and says muted); unmuted, the badge is back', async () => {
    const { h, ids, put } = setup();
    h.api.onRequest = (method, path) => (path.endsWith('/mute') ? answer({ conversationId: ids.ann, muted: method === 'PUT' }) : undefined);
    const s = put({ client: h.client, mode: 'inline' });
    const row = () => [...s.root.querySelectorAll('.conv')].find((r) => r.textContent!.includes('Ann Lee'))!;
    await waitFor(() => expect(row().querySelector('.count')!.textContent).toBe('2'));
    await act(() => h.client.moderation.mute(ids.ann));
    expect(row().querySelector('.count')).toBeNull();
    expect(row().textContent).toContain('Muted');
    await act(() => h.client.moderation.unmute(ids.ann));
    expect(row().querySelector('.count')!.textContent).toBe('2');
  });

  it('a blocked direct conversation offers no composer, only a notice', async () => {
    const { h, put } = setup();
    h.api.onRequest = (method, path) => (path === '/me/blocks/ann' ? answer({ userId: 'ann', blocked: method === 'PUT' }) : undefined);
    const s = put({ client: h.client, mode: 'inline', conversationWith: 'ann' });
    await s.findByLabelText('Message');
    await act(() => h.client.moderation.block('ann'));
    expect(s.queryByLabelText('Message')).toBeNull();
    expect(s.getByText('You can’t send messages in this conversation.').getAttribute('role')).toBe('status');
  });
});
