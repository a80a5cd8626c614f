/** Helpers for the relay's integration tests (not part of the public API). */
import { createHash, createHmac } from 'node:crypto';
import PusherServer from 'pusher';
import Pusher from 'pusher-js';
import { WebSocket } from 'ws';
import { signChannelAuth } from '../../src/realtime/sign-channel-auth';
import { createRelay } from '../../src/relay/create-relay';
import type { Relay, RelayOptions } from '../../src/relay/types';

export const APP = { id: 'test-app', key: 'test-key', secret: 'test-secret' };

/** Every wait in the tests is bounded: a missing event fails the test instead of hanging it. */
const WAIT_MS = 3000;

export async function startRelay(options: Partial<RelayOptions> = {}): Promise<{ relay: Relay; port: number }> {
  const relay = createRelay({ apps: [APP], ...options });
  const { port } = await relay.listen(0, '127.0.0.1');
  return { relay, port };
}

/**
 * The real `pusher` SDK for the test app, as a host's backend has it: pointed at a relay when given
 * its port (triggers, queries), else for signing only; `secret` to sign wrongly.
 */
export function relaySdk(port?: number, extra: { secret?: string; encryptionMasterKeyBase64?: string } = {}): PusherServer {
  const target = port === undefined ? {} : { port: String(port), useTLS: false };
  return new PusherServer({ appId: APP.id, key: APP.key, secret: APP.secret, host: '127.0.0.1', ...target, ...extra });
}

export interface ClientOptions {
  /** Presence identity; channel authorization signs channel_data with it. */
  user?: { user_id: string; user_info?: unknown };
  /** Sign with this secret instead of the app's (a wrong signature). */
  secret?: string;
}

/** pusher-js exactly as an app would configure it against a self-hosted relay. */
export function pusherClient(port: number, options: ClientOptions = {}): Pusher {
  return new Pusher(APP.key, {
    cluster: 'local',
    wsHost: '127.0.0.1',
    wsPort: port,
    forceTLS: false,
    enabledTransports: ['ws'],
    channelAuthorization: {
      endpoint: '/unused',
      transport: 'ajax',
      customHandler: ({ socketId, channelName }, callback) => {
        const app = { key: APP.key, secret: options.secret ?? APP.secret };
        callback(null, signChannelAuth(app, socketId, channelName, options.user));
      },
    },
  });
}

export function waitUntil<T>(what: string, register: (done: (value: T) => void) => void, ms = WAIT_MS): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    register((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

export function connected(pusher: Pusher): Promise<string> {
  if (pusher.connection.state === 'connected') return Promise.resolve(pusher.connection.socket_id);
  return waitUntil('pusher-js to connect', (done) => pusher.connection.bind('connected', () => done(pusher.connection.socket_id)));
}

/** Subscribes and resolves on subscription_succeeded, rejects on subscription_error. */
export function subscribed(pusher: Pusher, name: string) {
  const channel = pusher.subscribe(name);
  return new Promise<typeof channel>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out subscribing to ${name}`)), WAIT_MS);
    channel.bind('pusher:subscription_succeeded', () => {
      clearTimeout(timer);
      resolve(channel);
    });
    channel.bind('pusher:subscription_error', (error: unknown) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`subscription to ${name} failed`), { cause: error }));
    });
  });
}

/** Resolves with the next `event` on `channel`'s binding. */
export function nextEvent<T = unknown>(
  channel: { bind(event: string, fn: (data: T) => void): unknown; unbind(event: string, fn: (data: T) => void): unknown },
  event: string,
): Promise<T> {
  return waitUntil(`event ${event}`, (done) => {
    const fn = (data: T) => {
      channel.unbind(event, fn);
      done(data);
    };
    channel.bind(event, fn);
  });
}

/** Collects what a channel receives, to assert later that something did NOT arrive. */
export function collect(channel: { bind(event: string, fn: (data: unknown) => void): unknown }, event: string): unknown[] {
  const received: unknown[] = [];
  channel.bind(event, (data: unknown) => received.push(data));
  return received;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A bare WebSocket client speaking the protocol by hand, for what pusher-js would never send. */
export class RawClient {
  readonly messages: Array<{ event: string; channel?: string; data: unknown }> = [];
  closeCode: number | null = null;
  private waiters: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString()) as { event: string; channel?: string; data: unknown };
      if (typeof msg.data === 'string') {
        try {
          msg.data = JSON.parse(msg.data);
        } catch {
          // data that is not JSON stays a string, as pusher-js keeps it
        }
      }
      this.messages.push(msg);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
    ws.on('error', () => undefined);
  }

  static async open(port: number, path = `/app/${APP.key}?protocol=7&client=js&version=8.6.0`, options = {}): Promise<RawClient> {
    const client = new RawClient(new WebSocket(`ws://127.0.0.1:${port}${path}`, options));
    return client;
  }

  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  /** The first message (received or to come) matching; consumed so the next call finds the next one. */
  async next(event: string, ms = WAIT_MS): Promise<{ event: string; channel?: string; data: any }> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.messages.findIndex((m) => m.event === event);
      if (i >= 0) return this.messages.splice(i, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${event}; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async closed(ms = WAIT_MS): Promise<number> {
    const deadline = Date.now() + ms;
    while (this.closeCode === null) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for the socket to close');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.closeCode;
  }

  send(value: unknown) {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  close() {
    this.ws.terminate();
  }
}

export const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** Signs as pusher-http-node does; each override breaks one part of it. */
export function signedUrl(
  method: string,
  path: string,
  body: string | null,
  o: { timestamp?: number; md5?: string; secret?: string; params?: Record<string, string> } = {},
) {
  const params: Record<string, string> = {
    auth_key: APP.key,
    auth_timestamp: String(o.timestamp ?? Math.floor(Date.now() / 1000)),
    auth_version: '1.0',
    ...o.params,
  };
  if (body !== null) params.body_md5 = o.md5 ?? md5(body);
  const query = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  const signature = createHmac('sha256', o.secret ?? APP.secret)
    .update(`${method}\n${path}\n${query}`)
    .digest('hex');
  return `${path}?${query}&auth_signature=${signature}`;
}

export async function call(port: number, method: string, url: string, body?: string) {
  const res = await fetch(`http://127.0.0.1:${port}${url}`, { method, body, headers: body ? { 'content-type': 'application/json' } : {} });
  return { status: res.status, body: (await res.json()) as any };
}
