import type { ChatClient, ChatClientEvents } from '@banter/core';
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Avatar } from '../components/avatar';
import { WidgetContext } from '../context';
import { createTranslator } from '../i18n';
import type { WidgetNotificationOptions } from '../options';
import { OPEN_MESSAGE } from '../notify/open-conversation';
import { Notifications, NotifyToggle } from './notifications';

const tr = createTranslator('en');

/** window.Notification as a spy: what was shown, and the permission prompt's answer. */
class FakeNotification {
  static permission: NotificationPermission = 'default';
  static answer: NotificationPermission = 'granted';
  static shown: FakeNotification[] = [];
  static requestPermission = vi.fn(async () => (FakeNotification.permission = FakeNotification.answer));
  onclick: (() => void) | null = null;
  close = vi.fn();
  constructor(
    public title: string,
    public options: NotificationOptions,
  ) {
    FakeNotification.shown.push(this);
  }
}

function fakeClient() {
  let onMessage: ((e: ChatClientEvents['message']) => void) | undefined;
  const conversation = (muted: boolean) => ({
    conversation: { id: muted ? 'muted' : 'c1', muted, participants: [{ user: { id: 'bob', name: 'Bob' } }, { user: { id: 'ann' } }] },
  });
  const calls: [string, string, unknown][] = [];
  // The server's answer to GET /conversations/:id: ann's two conversations, 404 for any other.
  const got: string[] = [];
  const client = {
    conversations: {
      async get(id: string) {
        got.push(id);
        if (id !== 'c1' && id !== 'c2') throw Object.assign(new Error('not found'), { code: 'not_found', status: 404 });
        return { id };
      },
    },
    store: { getSnapshot: () => ({ me: { id: 'ann' }, conversations: { c1: conversation(false), muted: conversation(true) } }) },
    on: (event: string, handler: typeof onMessage) => {
      if (event === 'message') onMessage = handler;
      return { unsubscribe: () => (onMessage = undefined) };
    },
    http: {
      async call(method: string, path: string, json?: unknown) {
        calls.push([method, path, json]);
        if (path === '/me/notification-settings') return { settings: {}, vapidPublicKey: 'BKey' };
        if (path === '/me/push-subscriptions') return { subscription: { id: 'sub-1', endpoint: 'https://fcm.googleapis.com/x' } };
        return { deleted: true };
      },
    },
  };
  const say = (conversationId: string, senderId: string, body: string) =>
    onMessage?.({ conversationId, message: { id: body, senderId, body } as ChatClientEvents['message']['message'] });
  return { client: client as unknown as ChatClient, calls, say, got };
}

const wrap = (client: ChatClient, ui: preact.ComponentChild, notifications: boolean | WidgetNotificationOptions = true) => (
  <WidgetContext.Provider value={{ client, tr, announce: () => {}, Avatar, notifications }}>{ui}</WidgetContext.Provider>
);
let visibility: DocumentVisibilityState = 'hidden';

beforeEach(() => {
  FakeNotification.permission = 'default';
  FakeNotification.answer = 'granted';
  FakeNotification.shown = [];
  localStorage.clear();
  visibility = 'hidden';
  vi.stubGlobal('Notification', FakeNotification);
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('notifications chunk', () => {
  it('the switch asks for permission on the click, then a hidden page shows messages from others (as text), not its own', async () => {
    const { client, say, calls } = fakeClient();
    const view = render(wrap(client, [<NotifyToggle />, <Notifications onOpen={() => {}} />], { serviceWorker: false }));
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();
    say('c1', 'bob', 'before opting in');
    expect(FakeNotification.shown).toEqual([]);
    fireEvent.click(view.getByRole('button', { name: 'Turn on notifications' }));
    const on = await view.findByRole('button', { name: 'Turn off notifications' });
    expect(on.getAttribute('aria-pressed')).toBe('true');
    expect(FakeNotification.requestPermission).toHaveBeenCalledTimes(1);
    expect(calls).toEqual([]); // serviceWorker: false, no Web Push

    say('c1', 'bob', '<b>hi</b>');
    say('c1', 'ann', 'my own');
    say('muted', 'bob', 'in a muted conversation');
    visibility = 'visible';
    say('c1', 'bob', 'while looking');
    expect(FakeNotification.shown.map((n) => [n.title, n.options.body, n.options.tag])).toEqual([
      ['New message from Bob', '<b>hi</b>', 'banter:c1'],
    ]);

    fireEvent.click(on);
    await view.findByRole('button', { name: 'Turn on notifications' });
    visibility = 'hidden';
    say('c1', 'bob', 'after opting out');
    expect(FakeNotification.shown).toHaveLength(1);
  });

  it('a refused permission stays off and says it is blocked', async () => {
    FakeNotification.answer = 'denied';
    const { client } = fakeClient();
    const view = render(wrap(client, <NotifyToggle />));
    fireEvent.click(view.getByRole('button', { name: 'Turn on notifications' }));
    await waitFor(() => expect(view.getByRole('button').getAttribute('title')).toMatch(/blocked/));
    expect(view.getByRole('button').getAttribute('aria-pressed')).toBe('false');
    expect(localStorage.length).toBe(0);
  });

  it('with a service worker: registers it, subscribes with the VAPID key, POSTs the subscription; off DELETEs it and unsubscribes', async () => {
    const unsubscribe = vi.fn(async () => true);
    const subscription = { toJSON: () => ({ endpoint: 'https://fcm.googleapis.com/x', keys: { p256dh: 'p', auth: 'a' } }), unsubscribe };
    let current: typeof subscription | null = null;
    const pushManager = {
      getSubscription: async () => current,
      subscribe: vi.fn(async () => (current = subscription)),
    };
    const registration = { active: {}, pushManager };
    const register = vi.fn(async () => registration);
    Object.defineProperty(navigator, 'serviceWorker', {
      configurable: true,
      value: { register, getRegistration: async () => registration },
    });
    vi.stubGlobal('PushManager', class {});
    const { client, calls } = fakeClient();
    const view = render(wrap(client, <NotifyToggle />, { serviceWorker: '/sw.js' }));
    fireEvent.click(view.getByRole('button', { name: 'Turn on notifications' }));
    await view.findByRole('button', { name: 'Turn off notifications' });
    expect(register).toHaveBeenCalledWith('/sw.js');
    expect(pushManager.subscribe).toHaveBeenCalledWith({ userVisibleOnly: true, applicationServerKey: 'BKey' });
    expect(calls).toEqual([
      ['GET', '/me/notification-settings', undefined],
      ['POST', '/me/push-subscriptions', subscription.toJSON()],
    ]);
    fireEvent.click(view.getByRole('button', { name: 'Turn off notifications' }));
    await waitFor(() => expect(unsubscribe).toHaveBeenCalled());
    expect(calls[2]).toEqual(['DELETE', '/me/push-subscriptions/sub-1', undefined]);
    Reflect.deleteProperty(navigator, 'serviceWorker');
  });

  it("a click on a notification opens its conversation once the server answered it; a message from the worker too, never another's", async () => {
    localStorage.setItem('banter.notifications.ann', JSON.stringify({ id: '' }));
    FakeNotification.permission = 'granted';
    const worker = new EventTarget() as EventTarget & { startMessages(): void };
    worker.startMessages = vi.fn();
    Object.defineProperty(navigator, 'serviceWorker', { configurable: true, value: worker });
    const focus = vi.spyOn(window, 'focus').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn');
    const { client, say, got } = fakeClient();
    const opened: string[] = [];
    render(wrap(client, <Notifications onOpen={(id) => opened.push(id)} />));
    say('c1', 'bob', 'lunch?');
    const [shown] = FakeNotification.shown;
    shown!.onclick!();
    expect([focus.mock.calls.length, shown!.close.mock.calls.length]).toEqual([1, 1]);
    await waitFor(() => expect(opened).toEqual(['c1']));

    // The service worker's click, posted to this tab: a conversation of someone else (404) opens nothing.
    expect(worker.startMessages).toHaveBeenCalled();
    const post = (data: unknown) => worker.dispatchEvent(new MessageEvent('message', { data }));
    post({ type: OPEN_MESSAGE, conversationId: 'theirs' });
    post({ type: 'something else', conversationId: 'c2' });
    post({ type: OPEN_MESSAGE, conversationId: 'c2' });
    await waitFor(() => expect(opened).toEqual(['c1', 'c2']));
    expect(got).toEqual(['c1', 'theirs', 'c2']);
    expect(warn).not.toHaveBeenCalled();
    Reflect.deleteProperty(navigator, 'serviceWorker');
  });

  it('a page the worker opened at a conversation (?banter-conversation=) opens it, and the address loses it', async () => {
    history.replaceState(null, '', '/chat?tab=2&banter-conversation=c2#top');
    const { client, got } = fakeClient();
    const opened: string[] = [];
    render(
      wrap(client, [<Notifications onOpen={(id) => opened.push(`first:${id}`)} />, <Notifications onOpen={(id) => opened.push(id)} />]),
    );
    await waitFor(() => expect(opened).toEqual(['first:c2', 'c2']));
    expect(got).toEqual(['c2', 'c2']);
    expect(`${location.pathname}${location.search}${location.hash}`).toBe('/chat?tab=2#top');
    history.replaceState(null, '', '/');
  });
});
