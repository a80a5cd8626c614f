import type { ChatClient, ChatClientEvents } from '@banter/core';
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Avatar } from '../components/avatar';
import { WidgetContext } from '../context';
import { createTranslator } from '../i18n';
import type { WidgetNotificationOptions } from '../options';
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
  const client = {
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
  return { client: client as unknown as ChatClient, calls, say };
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
    const view = render(wrap(client, [<NotifyToggle />, <Notifications />], { serviceWorker: false }));
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
});
