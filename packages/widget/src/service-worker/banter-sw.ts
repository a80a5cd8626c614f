// dist/banter-sw.js: the service worker a host serves on its origin for Web Push (the standalone
// server serves it at /banter-sw.js). The widget registers it when the user turns notifications on.
import { onNotificationClick, onPush, type WorkerScope } from './handlers';

declare const self: WorkerScope & { addEventListener(type: string, listener: (event: never) => void): void };

self.addEventListener('push', (event: Parameters<typeof onPush>[1]) => onPush(self, event));
self.addEventListener('notificationclick', (event: Parameters<typeof onNotificationClick>[1]) => onNotificationClick(self, event));
