import { WebSocket } from 'ws';
import { ChannelCache, isCacheChannel } from './channel-cache';
import type { Bus } from './cluster';
import { CLOSE } from './codes';
import { eventFrame, TEXT } from './frames';
import type { AppSettings, AppState, Channel, RelaySocket } from './relay-socket';
import type { RelayApp, RelayLimits, RelayStats } from './types';
import { Users } from './users';
import type { WebhookSender } from './webhooks';

/** The counters the hub keeps (webhook counters are the senders'). */
export type Counters = Omit<
  RelayStats,
  'connections' | 'channels' | 'subscriptions' | 'pendingConnections' | 'channelNameBytes' | 'webhooksSent' | 'webhookFailures'
>;

/** Why a connection is refused at the door: its close code and message. */
export interface Refusal {
  code: number;
  message: string;
}

/** Channel membership, fan-out and connection accounting, shared by the WebSocket side and the HTTP API. */
export class Hub {
  readonly apps: AppState[];
  readonly byKey = new Map<string, AppState>();
  readonly byId = new Map<string, AppState>();
  readonly sockets = new Set<RelaySocket>();
  /** Sockets that have not subscribed nor signed in, oldest first (a Set keeps insertion order). */
  readonly pending = new Set<RelaySocket>();
  private readonly perIp = new Map<string, number>();
  subscriptions = 0;
  channelNameBytes = 0;
  readonly users = new Users((s, frame) => this.send(s, frame));
  readonly cache: ChannelCache;
  /** Set with `cluster`: what this process delivers, the other relay processes deliver too. */
  bus: Bus | null = null;
  readonly counters: Counters = {
    messagesIn: 0,
    messagesOut: 0,
    clientEvents: 0,
    refusedSubscriptions: 0,
    refusedSignins: 0,
    refusedConnections: 0,
    droppedPendingConnections: 0,
    droppedSlowConnections: 0,
    droppedDeadConnections: 0,
    httpRequests: 0,
  };

  constructor(
    apps: readonly RelayApp[],
    readonly limits: RelayLimits,
    webhooksFor: (app: RelayApp) => WebhookSender | null,
  ) {
    this.cache = new ChannelCache(limits.maxCachedChannels);
    this.apps = apps.map((app) => ({
      app,
      settings: resolveSettings(app, limits),
      channels: new Map(),
      connections: 0,
      users: new Map(),
      watchers: new Map(),
      cache: new Map(),
      webhooks: webhooksFor(app),
    }));
    for (const state of this.apps) {
      this.byKey.set(state.app.key, state);
      this.byId.set(state.app.id, state);
    }
  }

  /** Counts the socket in, or says why it may not connect (checked before anything is held for it). */
  admit(s: RelaySocket, state: AppState, ip: string): Refusal | null {
    const refuse = (code: number, message: string): Refusal => {
      this.counters.refusedConnections++;
      return { code, message };
    };
    if (!state.settings.enabled) return refuse(CLOSE.appDisabled, 'App is disabled');
    if (this.sockets.size >= this.limits.maxConnections) return refuse(CLOSE.overCapacity, 'Over capacity');
    if (state.connections >= state.settings.maxConnections) return refuse(CLOSE.overQuota, 'App is over its connection quota');
    const fromIp = this.perIp.get(ip) ?? 0;
    if (fromIp >= this.limits.maxConnectionsPerIp) return refuse(CLOSE.overCapacity, 'Too many connections from this address');
    if (this.pending.size >= this.limits.maxPendingConnections)
      return refuse(CLOSE.overCapacity, 'Too many connections waiting to subscribe');
    s.app = state;
    s.ip = ip;
    s.connectedAt = Date.now();
    state.connections++;
    this.perIp.set(ip, fromIp + 1);
    this.sockets.add(s);
    this.pending.add(s);
    return null;
  }

  /** Undoes admit() and every subscription; safe to call twice. */
  release(s: RelaySocket): void {
    if (!this.sockets.delete(s)) return;
    this.pending.delete(s);
    s.app!.connections--;
    const fromIp = (this.perIp.get(s.ip) ?? 1) - 1;
    if (fromIp === 0) this.perIp.delete(s.ip);
    else this.perIp.set(s.ip, fromIp);
    this.leaveAll(s);
    this.users.signOut(s);
  }

  /** The socket subscribed or signed in: no longer subject to the pending cap and timeout. */
  activate(s: RelaySocket): void {
    if (!s.pending) return;
    s.pending = false;
    this.pending.delete(s);
  }

  /** Send one frame; a socket that cannot keep up is dropped instead of buffering without end. */
  send(s: RelaySocket, frame: Buffer | string): void {
    if (s.readyState !== WebSocket.OPEN) return;
    if (s.bufferedAmount > this.limits.maxBufferedBytes) {
      this.counters.droppedSlowConnections++;
      s.terminate();
      return;
    }
    s.send(frame, TEXT);
    this.counters.messagesOut++;
  }

  fanout(channel: Channel, frame: Buffer, except: RelaySocket | null, excludeSocketId?: string | null): void {
    for (const s of channel.sockets) {
      if (s === except || (excludeSocketId && s.socketId === excludeSocketId)) continue;
      this.send(s, frame);
    }
  }

  /** Delivers here and, with a cluster, in every other relay process. */
  broadcast(state: AppState, channels: readonly string[], event: string, data: string, excludeSocketId?: string | null): void {
    this.publish(state, channels, event, data, excludeSocketId);
    this.bus?.publish({ app: state.app.id, channels: [...channels], event, data, exclude: excludeSocketId ?? null });
  }

  /** Frames that other processes' subscribers must see too (client events, presence changes); `except` is local. */
  share(state: AppState, channel: Channel, event: string, data: string, except: RelaySocket | null, userId?: string): void {
    this.fanout(channel, eventFrame(event, channel.name, data, userId), except);
    this.bus?.publish({ app: state.app.id, channels: [channel.name], event, data, exclude: except?.socketId ?? null, userId });
  }

  /** Delivers to this process's sockets only (what another process sent over the bus, too). */
  publish(
    state: AppState,
    channels: readonly string[],
    event: string,
    data: string,
    excludeSocketId?: string | null,
    userId?: string,
  ): void {
    for (const name of channels) {
      const channel = state.channels.get(name);
      // The last *event*: not presence changes nor client events, which Pusher does not cache either.
      const cached = isCacheChannel(name) && userId === undefined && !event.startsWith('pusher');
      // Nobody listening and nothing to remember: do not even build the frame.
      if (!channel && !cached) continue;
      const frame = eventFrame(event, name, data, userId);
      if (cached) this.cache.remember(state, name, frame);
      if (channel) this.fanout(channel, frame, null, excludeSocketId);
    }
  }

  /** Whether a subscription to `name` would need a new channel past `maxChannelNameBytes`. */
  wouldOverflow(state: AppState, name: string): boolean {
    return !state.channels.has(name) && this.channelNameBytes + name.length > this.limits.maxChannelNameBytes;
  }

  /** Adds the socket to the channel; returns the channel and whether the user is a new presence member. */
  join(s: RelaySocket, name: string, userId: string | null, info: unknown): { channel: Channel; newMember: boolean } {
    const state = s.app!;
    let channel = state.channels.get(name);
    if (!channel) {
      channel = { name, sockets: new Set(), members: userId === null ? null : new Map() };
      state.channels.set(name, channel);
      this.channelNameBytes += name.length;
      state.webhooks?.push(state.app, { name: 'channel_occupied', channel: name });
    }
    channel.sockets.add(s);
    // The channel's own copy of the name: a thousand subscribers hold one string, not a thousand.
    (s.channels ??= new Map()).set(channel.name, userId);
    this.subscriptions++;
    this.activate(s);
    let newMember = false;
    if (userId !== null) {
      const members = (channel.members ??= new Map());
      const member = members.get(userId);
      if (member) member.count++;
      else {
        members.set(userId, { info, count: 1 });
        newMember = true;
        state.webhooks?.push(state.app, { name: 'member_added', channel: name, user_id: userId });
      }
    }
    return { channel, newMember };
  }

  leave(s: RelaySocket, name: string): void {
    const state = s.app;
    if (!state || !s.channels?.has(name)) return;
    const userId = s.channels.get(name) ?? null;
    s.channels.delete(name);
    const channel = state.channels.get(name);
    if (!channel) return;
    channel.sockets.delete(s);
    this.subscriptions--;
    if (userId !== null && channel.members) {
      const member = channel.members.get(userId);
      if (member && --member.count === 0) {
        channel.members.delete(userId);
        this.share(state, channel, 'pusher_internal:member_removed', JSON.stringify({ user_id: userId }), null);
        state.webhooks?.push(state.app, { name: 'member_removed', channel: name, user_id: userId });
      }
    }
    if (channel.sockets.size === 0) {
      state.channels.delete(name);
      this.channelNameBytes -= name.length;
      state.webhooks?.push(state.app, { name: 'channel_vacated', channel: name });
    }
  }

  leaveAll(s: RelaySocket): void {
    if (!s.channels) return;
    for (const name of [...s.channels.keys()]) this.leave(s, name);
    s.channels = null;
  }

  channelCount(): number {
    let n = 0;
    for (const state of this.apps) n += state.channels.size;
    return n;
  }
}

function resolveSettings(app: RelayApp, limits: RelayLimits): AppSettings {
  return {
    enabled: app.enabled ?? true,
    publicChannels: app.publicChannels ?? true,
    clientEvents: app.clientEvents ?? true,
    maxConnections: app.maxConnections ?? Number.POSITIVE_INFINITY,
    maxChannelNameLength: Math.min(app.maxChannelNameLength ?? 164, 164),
    maxChannelsPerConnection: app.maxChannelsPerConnection ?? limits.maxChannelsPerConnection,
    maxClientEventsPerSecond: app.maxClientEventsPerSecond ?? limits.maxClientEventsPerSecond,
  };
}
