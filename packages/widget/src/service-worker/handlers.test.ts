import { describe, expect, it, vi } from 'vitest';
import { onNotificationClick, onPush, type WorkerScope } from './handlers';

/** A fake ServiceWorkerGlobalScope: what was shown, focused and opened. */
function scope(href = 'https://app.example/banter-sw.js', windows: string[] = []) {
  const shown: [string, NotificationOptions][] = [];
  const focused: string[] = [];
  const opened: string[] = [];
  const self: WorkerScope = {
    location: { href },
    registration: {
      scope: 'https://app.example/',
      showNotification: async (title, options) => void shown.push([title, options!]),
    },
    clients: {
      matchAll: async () => windows.map((url) => ({ url, focus: async () => focused.push(url) })),
      openWindow: async (url) => opened.push(url),
    },
  };
  return { self, shown, focused, opened };
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
});
