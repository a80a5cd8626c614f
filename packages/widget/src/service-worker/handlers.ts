// What dist/banter-sw.js does (banter-sw.ts wires it to the worker's events; the tests call it with
// fake events): show a Web Push from Banter's server, and on a click focus or open the chat at its
// conversation.
import type { NotificationPush } from '@banter/core';
import { OPEN_MESSAGE, OPEN_PARAM } from '../notify/open-conversation';

/** The parts of ServiceWorkerGlobalScope used here. */
export interface WorkerScope {
  location: { href: string };
  registration: Pick<ServiceWorkerRegistration, 'showNotification' | 'scope'>;
  clients: {
    matchAll(options: {
      type: 'window';
      includeUncontrolled: boolean;
    }): Promise<ReadonlyArray<{ url: string; focus(): Promise<unknown>; postMessage(message: unknown): void }>>;
    openWindow(url: string): Promise<unknown>;
  };
}

interface ExtendableEvent {
  waitUntil(promise: Promise<unknown>): void;
}

/** The page a click opens: `?open=` of the worker's own URL (`/banter-sw.js?open=/chat`), else its scope. */
export function chatUrl(scope: WorkerScope): string {
  const open = new URL(scope.location.href).searchParams.get('open');
  return new URL(open ?? scope.registration.scope, scope.location.href).href;
}

/**
 * A push: shown as a notification, one per conversation (its tag; a later batch replaces it).
 * Browsers require every push to show one (`userVisibleOnly`), so a payload that is not Banter's
 * still shows a generic notification.
 */
export function onPush(scope: WorkerScope, event: ExtendableEvent & { data: { json(): unknown } | null }): void {
  let push: Partial<NotificationPush> = {};
  try {
    push = (event.data?.json() ?? {}) as Partial<NotificationPush>;
  } catch {
    // not JSON: the generic notification below
  }
  const title = typeof push.title === 'string' && push.title ? push.title : 'New messages';
  const body = typeof push.body === 'string' ? push.body : '';
  const conversationId = typeof push.conversationId === 'string' ? push.conversationId : undefined;
  event.waitUntil(
    scope.registration.showNotification(title, {
      body,
      tag: conversationId ? `banter:${conversationId}` : 'banter',
      data: { conversationId },
    }),
  );
}

/**
 * A click: closes the notification, then opens its conversation in the chat: posts it to a tab of the
 * chat's origin that is open (the widget there opens it) and focuses that tab, else opens the chat
 * with `?banter-conversation=` (the widget opens it on load). The widget asks the server for the
 * conversation first: an id the user may not see opens nothing.
 */
export function onNotificationClick(
  scope: WorkerScope,
  event: ExtendableEvent & { notification: { close(): void; data?: unknown } },
): void {
  event.notification.close();
  const url = chatUrl(scope);
  const id = (event.notification.data as { conversationId?: unknown } | null | undefined)?.conversationId;
  const conversationId = typeof id === 'string' && id ? id : undefined;
  event.waitUntil(
    (async () => {
      const windows = await scope.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const tab = windows.find((w) => w.url === url) ?? windows.find((w) => new URL(w.url).origin === new URL(url).origin);
      if (!tab) {
        const open = new URL(url);
        if (conversationId) open.searchParams.set(OPEN_PARAM, conversationId);
        return scope.clients.openWindow(open.href);
      }
      // Posted before the focus: a focus the browser refuses still leaves the conversation open.
      if (conversationId) tab.postMessage({ type: OPEN_MESSAGE, conversationId });
      return tab.focus();
    })(),
  );
}
