import pg from 'pg';
import { OUTBOX_NOTIFY_CHANNEL } from './enqueue';

export interface OutboxListener {
  close(): Promise<void>;
}

export interface OutboxListenerOptions {
  /** Connection settings of the database's pool: the listener opens its own connection with them. */
  connection: pg.ClientConfig;
  /** Banter's schema: notifications of other schemas (another Banter in the same database) are ignored. */
  schema: string;
  /** Called on each notification for this schema, and after every (re)connect: rows may have been missed. */
  onWake: () => void;
  onError?: (error: unknown) => void;
  /** Reconnect backoff (ms). */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * A dedicated connection that LISTENs on `banter_outbox`, so a commit on any instance wakes this one's
 * dispatcher. A pooled connection cannot hold a LISTEN (it is handed to other queries), hence
 * its own client; when it drops, it reconnects with exponential backoff.
 *
 * @example
 * ```ts
 * const listener = listenForOutbox({ connection: pool.options, schema: 'banter', onWake: () => dispatcher.wake() });
 * await listener.close();
 * ```
 */
export function listenForOutbox(options: OutboxListenerOptions): OutboxListener {
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 30_000;
  let client: pg.Client | null = null;
  let closed = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function scheduleReconnect(): void {
    if (closed || timer) return;
    const ceiling = Math.min(maxDelay, minDelay * 2 ** Math.min(failures, 20));
    failures++;
    timer = setTimeout(
      () => {
        timer = null;
        void connect();
      },
      ceiling / 2 + (ceiling / 2) * Math.random(),
    );
    timer.unref?.();
  }

  async function connect(): Promise<void> {
    if (closed) return;
    // pool.options carries max/idle settings a Client ignores; only connection fields matter here.
    // The name lets an operator (and a test) find this connection in pg_stat_activity.
    const next = new pg.Client({ ...options.connection, application_name: `banter_outbox:${options.schema}`.slice(0, 63) });
    client = next;
    let dropped = false;
    const drop = (error?: unknown) => {
      if (dropped) return;
      dropped = true;
      if (error && !closed) options.onError?.(error);
      if (client === next) client = null;
      next.end().catch(() => {});
      scheduleReconnect();
    };
    next.on('error', drop);
    next.on('end', () => drop());
    next.on('notification', (message) => {
      if (message.channel !== OUTBOX_NOTIFY_CHANNEL) return;
      if (message.payload && message.payload !== options.schema) return;
      options.onWake();
    });
    try {
      await next.connect();
      await next.query(`listen ${OUTBOX_NOTIFY_CHANNEL}`);
      if (closed) {
        await next.end().catch(() => {});
        return;
      }
      failures = 0;
      // Commits made while we were not listening sent their NOTIFY to nobody.
      options.onWake();
    } catch (error) {
      drop(error);
    }
  }

  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      const current = client;
      client = null;
      if (current) await current.end().catch(() => {});
    },
  };
}
