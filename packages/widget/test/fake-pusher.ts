import type { PusherConstructor } from '@banter/core';

/*
 * A stand-in for pusher-js with the surface @banter/core uses (subscribe, bind, bind_global,
 * trigger, members, connection state_change), so tests can deliver server events and drop the
 * connection. The core's realtime code runs unchanged on top of it.
 */

type Handler = (data: unknown, metadata?: { user_id?: string }) => void;

class FakeChannel {
  subscribed = false;
  readonly handlers = new Map<string, Set<Handler>>();
  readonly globals = new Set<(event: string, data: unknown) => void>();
  members?: { each(fn: (member: { id: string }) => void): void };

  constructor(
    readonly name: string,
    private readonly realtime: FakeRealtime,
  ) {}

  bind(event: string, handler: Handler) {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
  }
  unbind(event?: string, handler?: Handler) {
    if (!event) this.handlers.clear();
    else if (!handler) this.handlers.delete(event);
    else this.handlers.get(event)?.delete(handler);
  }
  bind_global(handler: (event: string, data: unknown) => void) {
    this.globals.add(handler);
  }
  unbind_global(handler?: (event: string, data: unknown) => void) {
    if (handler) this.globals.delete(handler);
    else this.globals.clear();
  }
  trigger(event: string, data: unknown) {
    this.realtime.triggered.push({ channel: this.name, event, data });
    return true;
  }
  emit(event: string, data: unknown, metadata?: { user_id?: string }) {
    for (const handler of [...(this.handlers.get(event) ?? [])]) handler(data, metadata);
    for (const handler of [...this.globals]) handler(event, data);
  }
}

export class FakeRealtime {
  readonly channels = new Map<string, FakeChannel>();
  /** Client events sent by the widget (client-typing). */
  readonly triggered: { channel: string; event: string; data: unknown }[] = [];
  state = 'initialized';
  private readonly stateHandlers = new Set<(change: { previous: string; current: string }) => void>();
  /** Presence members per conversation channel. */
  members: string[] = [];

  /** The constructor to pass as `realtime.Pusher`. */
  readonly Pusher: PusherConstructor;

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const realtime = this;
    this.Pusher = class {
      connection = {
        get state() {
          return realtime.state;
        },
        bind: (_event: string, handler: (change: { previous: string; current: string }) => void) => realtime.stateHandlers.add(handler),
      };
      constructor() {
        queueMicrotask(() => realtime.setState('connected'));
      }
      subscribe(name: string) {
        let channel = realtime.channels.get(name);
        if (!channel) {
          channel = new FakeChannel(name, realtime);
          if (name.startsWith('presence-')) {
            channel.members = { each: (fn) => realtime.members.forEach((id) => fn({ id })) };
          }
          realtime.channels.set(name, channel);
          const ch = channel;
          queueMicrotask(() => {
            ch.subscribed = true;
            ch.emit('pusher:subscription_succeeded', {});
          });
        }
        return channel;
      }
      unsubscribe(name: string) {
        realtime.channels.delete(name);
      }
      disconnect() {
        realtime.setState('disconnected');
      }
    } as unknown as PusherConstructor;
  }

  setState(current: string) {
    const previous = this.state;
    this.state = current;
    for (const handler of [...this.stateHandlers]) handler({ previous, current });
  }

  /** Delivers a server event on a channel (as the relay would). */
  emit(channel: string, event: string, data: unknown, metadata?: { user_id?: string }) {
    const ch = this.channels.get(channel);
    if (!ch) throw new Error(`test: nobody subscribed ${channel}`);
    ch.emit(event, data, metadata);
  }
}
