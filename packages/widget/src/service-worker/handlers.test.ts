import { describe, expect, it, vi } from 'vitest';
import { onNotificationClick, onPush, type WorkerScope } from './handlers';

/** A fake ServiceWorkerGlobalScope: what was shown, focused and opened. */
function scope(href = 'https://app.example/banter-sw.js', windows: string[] = []) {
  const shown: [string, NotificationOptions][] = [];
  const focused: string[] = [];
  const opened: string[] = [];
  const posted: [string, unknown][] = [];
  const self: WorkerScope = {
    location: { href },
    registration: {
      scope: 'https://app.example/',
      showNotification: async (title, options) => void shown.push([title, options!]),
    },
    clients: {
      matchAll: async () =>
        windows.map((url) => ({
          url,
          focus: async () => focused.push(url),
          postMessage: (message: unknown) => posted.push([url, message]),
        })),
      openWindow: async (url) => opened.push(url),
    },
  };
  return { self, shown, focused, opened, posted };
}

function event<T extends object>(extra: T) {
  const waits: Promise<unknown>[] = [];
  return { waits, event: { ...extra, waitUntil: (p: Promise<unknown>) => waits.push(p) } };
}

describe('banter-sw.js', () => {
  it('shows a Banter push as a notification tagged by conversation, within waitUntil', async () => {
    const { self, shown } = scope();
    const push = { type: 'notification.due', conversationId: 'c1', unreadCount: 2, lastSeq: 9, title: 'Bob', body: 'ping' };
    const { event: e, waits } = event({ data: { json: () => push } });
    onPush(self, e);
    await Promise.all(waits);
    expect(shown).toEqual([['Bob', { body: 'ping', tag: 'banter:c1', data: { conversationId: 'c1' } }]]);
  });

  it('a push without a Banter payload still shows one (browsers require it for userVisibleOnly)', async () => {
    const { self, shown } = scope();
    const { event: e, waits } = event({
      data: {
        json: () => {
          throw new SyntaxError('not JSON');
        },
      },
    });
    onPush(self, e);
    await Promise.all(waits);
    expect(shown).toEqual([['New messages', { body: '', tag: 'banter', data: { conversationId: undefined } }]]);
  });

  it('a click closes it and focuses the chat tab that is open, else opens the chat (?open= of the worker URL)', async () => {
    const close = vi.fn();
    const open = scope('https://app.example/banter-sw.js', ['https://other.example/', 'https://app.example/help']);
    const first = event({ notification: { close } });
    onNotificationClick(open.self, first.event);
    await Promise.all(first.waits);
    expect(close).toHaveBeenCalled();
    expect([open.focused, open.opened]).toEqual([['https://app.example/help'], []]);

    const none = scope('https://app.example/banter-sw.js?open=/chat', []);
    const second = event({ notification: { close } });
    onNotificationClick(none.self, second.event);
    await Promise.all(second.waits);
    expect(none.opened).toEqual(['https://app.example/chat']);
  });

  it("a click on a conversation's notification posts it to the chat tab it focuses, else opens the chat at it", async () => {
    const data = { conversationId: 'c 1' };
    const open = scope('https://app.example/banter-sw.js', ['https://app.example/help']);
    const first = event({ notification: { close: vi.fn(), data } });
    onNotificationClick(open.self, first.event);
    await Promise.all(first.waits);
    expect(open.posted).toEqual([['https://app.example/help', { type: 'banter:open-conversation', conversationId: 'c 1' }]]);
    expect([open.focused, open.opened]).toEqual([['https://app.example/help'], []]);

    const none = scope('https://app.example/banter-sw.js?open=/chat?tab=2', ['https://other.example/']);
    const second = event({ notification: { close: vi.fn(), data } });
    onNotificationClick(none.self, second.event);
    await Promise.all(second.waits);
    expect([none.opened, none.posted]).toEqual([['https://app.example/chat?tab=2&banter-conversation=c+1'], []]);
  });

  it('a focus the browser refuses still leaves the conversation posted', async () => {
    const posted: unknown[] = [];
    const self = scope().self;
    self.clients.matchAll = async () => [
      {
        url: 'https://app.example/',
        focus: () => Promise.reject(new Error('Not allowed to focus a window.')),
        postMessage: (message) => posted.push(message),
      },
    ];
    const click = event({ notification: { close: vi.fn(), data: { conversationId: 'c1' } } });
    onNotificationClick(self, click.event);
    await expect(Promise.all(click.waits)).rejects.toThrow(/focus/);
    expect(posted).toEqual([{ type: 'banter:open-conversation', conversationId: 'c1' }]);
  });
});
