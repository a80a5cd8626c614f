import { type ClientNotifications, createChatNotifications, type HttpApi } from '@banter/core';

/** Where the user's choice is kept, per user: `{ id }` of the push subscription ('' when none). */
const key = (userId: string) => `banter.notifications.${userId}`;

function read(userId: string): { id: string } | null {
  try {
    const raw = localStorage.getItem(key(userId));
    return raw ? (JSON.parse(raw) as { id: string }) : null;
  } catch {
    // Storage blocked (a private window, a sandboxed frame): nothing was chosen here.
    return null;
  }
}

function write(userId: string, value: { id: string } | null): void {
  try {
    if (value) localStorage.setItem(key(userId), JSON.stringify(value));
    else localStorage.removeItem(key(userId));
  } catch {
    // As above: the choice lasts for this page only.
  }
}

/** The user turned notifications on in this browser, and the browser still allows them. */
export function isOptedIn(userId: string): boolean {
  return typeof Notification !== 'undefined' && Notification.permission === 'granted' && read(userId) !== null;
}

/** The service worker active (push needs one), at most `ms` after registering it. */
async function activeWorker(registration: ServiceWorkerRegistration, ms = 10_000): Promise<void> {
  const worker = registration.installing ?? registration.waiting;
  if (registration.active || !worker) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the service worker did not activate')), ms);
    worker.addEventListener('statechange', () => {
      if (worker.state !== 'activated') return;
      clearTimeout(timer);
      resolve();
    });
  });
}

export type OptInResult = 'on' | 'blocked';

/**
 * Turns notifications on, from a user gesture (browsers refuse permission prompts without one):
 * asks for permission, then, with a service worker URL and a server with VAPID keys, subscribes to
 * Web Push and registers the subscription. Push failing (no push service offline, a worker that
 * is not served) leaves the in-page notifications on and is thrown after the choice is saved.
 */
export async function optIn(http: HttpApi, userId: string, serviceWorker: string | false): Promise<OptInResult> {
  if ((await Notification.requestPermission()) !== 'granted') return 'blocked';
  write(userId, { id: '' });
  if (!serviceWorker || !('serviceWorker' in navigator) || typeof PushManager === 'undefined') return 'on';
  const api: ClientNotifications = createChatNotifications({ http });
  const { vapidPublicKey } = await api.getSettings();
  if (!vapidPublicKey) return 'on';
  const registration = await navigator.serviceWorker.register(serviceWorker);
  await activeWorker(registration);
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: vapidPublicKey }));
  const { id } = await api.subscribePush(subscription);
  write(userId, { id });
  return 'on';
}

/** Turns notifications off: forgets the choice, deletes the server's subscription and the browser's. */
export async function optOut(http: HttpApi, userId: string, serviceWorker: string | false): Promise<void> {
  const saved = read(userId);
  write(userId, null);
  if (saved?.id) await createChatNotifications({ http }).unsubscribePush(saved.id);
  if (!serviceWorker || !('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.getRegistration(serviceWorker);
  await (await registration?.pushManager.getSubscription())?.unsubscribe();
}
