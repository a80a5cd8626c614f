// A click on a notification opens its conversation (docs/notifications.md#in-the-widget). The
// service worker (service-worker/handlers.ts) posts it to a tab that is open, or opens the chat with
// it in the address; the notifications chunk takes both to the widget.

/** The query parameter of a page the worker opens for a conversation: `?banter-conversation=<id>`. */
export const OPEN_PARAM = 'banter-conversation';
/** The `type` of what the worker posts to an open tab: `{ type, conversationId }`. */
export const OPEN_MESSAGE = 'banter:open-conversation';

let taken: { href: string; id: string } | undefined;

/**
 * `?banter-conversation=` of the page, taken out of the address bar (a reload does not open it
 * again). Every widget of the page gets it (the one whose user may see it opens it).
 */
export function conversationFromUrl(): string | null {
  if (taken?.href === location.href) return taken.id;
  const url = new URL(location.href);
  const id = url.searchParams.get(OPEN_PARAM);
  if (!id) return null;
  url.searchParams.delete(OPEN_PARAM);
  try {
    history.replaceState(history.state, '', url.href);
  } catch {
    // No history to change (a sandboxed frame): it stays in the address.
  }
  taken = { href: location.href, id };
  return id;
}

/** Calls `open` with each conversation the service worker posts (a click on its notification); answers the stop. */
export function onWorkerOpen(open: (conversationId: string) => void): () => void {
  // Undefined where there are none (an insecure origin, an old browser).
  const container = navigator.serviceWorker;
  if (!container) return () => {};
  const listener = (event: MessageEvent) => {
    const data = event.data as { type?: unknown; conversationId?: unknown } | null;
    if (data?.type === OPEN_MESSAGE && typeof data.conversationId === 'string' && data.conversationId) open(data.conversationId);
  };
  container.addEventListener('message', listener);
  // Messages wait in a queue until this (or `onmessage`): without it a tab still loading gets none.
  container.startMessages?.();
  return () => container.removeEventListener('message', listener);
}
