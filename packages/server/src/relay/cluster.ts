import { randomBytes } from 'node:crypto';
import type { ClusterOptions } from './types';

/** One event as it crosses between relay processes: what a local publish or client event delivered. */
export interface BusEvent {
  app: string;
  channels: string[];
  event: string;
  data: string;
  /** Never delivered to this socket (the sender's, or the trigger's socket_id). */
  exclude: string | null;
  /** Presence client events carry the sender's user id in the envelope. */
  userId?: string;
}

type BusMessage = ({ t: 'pub' } & BusEvent) | { t: 'term'; app: string; userId: string };

export interface Bus {
  publish(event: BusEvent): void;
  terminate(app: string, userId: string): void;
  /** Resolves once the subscription to the shared Redis channel is confirmed. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface BusHandlers {
  onPublish(event: BusEvent): void;
  onTerminate(app: string, userId: string): void;
  onError(error: unknown): void;
}

/**
 * Relay processes share subscriptions through Redis pub/sub: every process publishes what it
 * delivered locally to one Redis channel, and delivers what the others published to its own
 * sockets. Redis keeps no state here; a process that is down simply misses events, as a
 * disconnected client would (Banter's clients catch up through the API).
 * ioredis is an optional peer dependency, loaded only when `cluster` is set.
 */
export function createRedisBus(options: ClusterOptions, handlers: BusHandlers): Bus {
  const node = randomBytes(8).toString('hex');
  const channel = options.channel ?? 'banter-relay';
  type Redis = import('ioredis').Redis;
  let pub: Redis | null = null;
  let sub: Redis | null = null;
  const clients = import('ioredis').then(({ Redis }) => {
    pub = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
    sub = new Redis(options.redisUrl, { lazyConnect: false });
    pub.on('error', handlers.onError);
    sub.on('error', handlers.onError);
    sub.on('messageBuffer', (_channel: Buffer, raw: Buffer) => receive(raw));
    return sub.subscribe(channel);
  });
  const ready = clients.then(() => undefined);
  ready.catch(handlers.onError);

  function receive(raw: Buffer): void {
    // The node id leads the message, so a process drops its own without parsing them.
    if (raw.subarray(0, 16).toString('latin1') === node) return;
    let message: BusMessage;
    try {
      message = JSON.parse(raw.subarray(17).toString('utf8')) as BusMessage;
    } catch {
      return;
    }
    if (message.t === 'pub') handlers.onPublish(message);
    else if (message.t === 'term') handlers.onTerminate(message.app, message.userId);
  }

  function send(message: BusMessage): void {
    const text = `${node}:${JSON.stringify(message)}`;
    if (pub) pub.publish(channel, text).catch(handlers.onError);
    else clients.then(() => pub!.publish(channel, text)).catch(handlers.onError);
  }

  return {
    publish: (event) => send({ t: 'pub', ...event }),
    terminate: (app, userId) => send({ t: 'term', app, userId }),
    ready,
    async close() {
      await clients.catch(() => undefined);
      await Promise.all([pub?.quit().catch(() => undefined), sub?.quit().catch(() => undefined)]);
    },
  };
}
