import { withTimeout } from '../util/with-timeout';
import { hmacHex } from './signatures';
import type { RelayApp, WebhookEvent, WebhookEventName, WebhookOptions } from './types';

const ALL: WebhookEventName[] = ['channel_occupied', 'channel_vacated', 'member_added', 'member_removed', 'client_event', 'cache_miss'];
const ATTEMPTS = 3;
const REQUEST_TIMEOUT_MS = 5000;
/** A receiver that is down must not make the relay hoard events without end. */
const MAX_QUEUED = 10_000;

export interface WebhookSender {
  push(app: RelayApp, event: WebhookEvent): void;
  close(): Promise<void>;
}

/** Pusher-style webhooks: batched, signed per app with HMAC-SHA256 of the raw body, retried twice. */
export function createWebhookSender(options: WebhookOptions, counters: { webhooksSent: number; webhookFailures: number }): WebhookSender {
  const enabled = new Set(options.events ?? ALL);
  const batchMs = options.batchMs ?? 100;
  const prefixes = options.channelPrefixes?.length ? options.channelPrefixes : null;
  const queues = new Map<RelayApp, WebhookEvent[]>();
  const inflight = new Set<Promise<void>>();
  let queued = 0;
  let timer: NodeJS.Timeout | null = null;

  function push(app: RelayApp, event: WebhookEvent): void {
    if (!enabled.has(event.name)) return;
    if (prefixes && !prefixes.some((prefix) => event.channel.startsWith(prefix))) return;
    if (queued >= MAX_QUEUED) {
      counters.webhookFailures++;
      return;
    }
    let queue = queues.get(app);
    if (!queue) queues.set(app, (queue = []));
    queue.push(event);
    queued++;
    timer ??= setTimeout(flush, batchMs);
  }

  function flush(): void {
    timer = null;
    for (const [app, events] of queues) {
      queues.delete(app);
      queued -= events.length;
      const p = post(app, events).finally(() => inflight.delete(p));
      inflight.add(p);
    }
  }

  async function post(app: RelayApp, events: WebhookEvent[]): Promise<void> {
    const body = JSON.stringify({ time_ms: Date.now(), events });
    const headers = {
      'content-type': 'application/json',
      'x-pusher-key': app.key,
      'x-pusher-signature': hmacHex(app.secret, body),
    };
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        const res = await fetch(options.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
        await res.body?.cancel();
        if (res.ok) {
          counters.webhooksSent++;
          return;
        }
      } catch {
        // retried below
      }
      if (attempt < ATTEMPTS - 1) await new Promise((resolve) => setTimeout(resolve, 250 * 4 ** attempt));
    }
    counters.webhookFailures++;
  }

  async function close(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      flush();
    }
    // Bounded: a receiver that does not answer must not hold the shutdown.
    await withTimeout(Promise.all(inflight), 2000, 'webhook delivery on close', { settle: true });
  }

  return { push, close };
}
