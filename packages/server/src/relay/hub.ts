import { WebSocket } from 'ws';
import { eventFrame, TEXT } from './frames';
import type { AppState, Channel, RelaySocket } from './relay-socket';
import type { RelayApp, RelayLimits, RelayStats } from './types';
import type { WebhookSender } from './webhooks';

export type Counters = Omit<RelayStats, 'connections' | 'channels' | 'subscriptions'>;

/** Channel membership and fan-out, shared by the WebSocket side and the HTTP API. */
export class Hub {
  readonly apps: AppState[];
  readonly byKey = new Map<string, AppState>();
  readonly byId = new Map<string, AppState>();
  readonly sockets = new Set<RelaySocket>();
  subscriptions = 0;
  readonly counters: Counters = {
    messagesIn: 0,
    messagesOut: 0,
    clientEvents: 0,
    refusedSubscriptions: 0,
    droppedSlowConnections: 0,
    droppedDeadConnections: 0,
    httpRequests: 0,
    webhooksSent: 0,
    webhookFailures: 0,
  };
  /** Set when webhooks are configured; every hook below is a no-op otherwise. */
  webhooks: WebhookSender | null = null;

  constructor(
    apps: readonly RelayApp[],
    readonly limits: RelayLimits,
  ) {
    this.apps = apps.map((app) => ({ app, channels: new Map() }));
    for (const state of this.apps) {
      this.byKey.set(state.app.key, state);
      this.byId.set(state.app.id, state);
    }
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

  publish(state: AppState, channels: readonly string[], event: string, data: string, excludeSocketId?: string | null): void {
    for (const name of channels) {
      const channel = state.channels.get(name);
      // Nobody listening: do not even build the frame.
      if (!channel) continue;
      this.fanout(channel, eventFrame(event, name, data), null, excludeSocketId);
    }
  }

  /** Adds the socket to the channel; returns the channel and whether the user is a new presence member. */
  join(s: RelaySocket, name: string, userId: string | null, info: unknown): { channel: Channel; newMember: boolean } {
    const state = s.app!;
    let channel = state.channels.get(name);
    if (!channel) {
      channel = { sockets: new Set(), members: userId === null ? null : new Map() };
      state.channels.set(name, channel);
      this.webhooks?.push(state.app, { name: 'channel_occupied', channel: name });
    }
    channel.sockets.add(s);
    (s.channels ??= new Map()).set(name, userId);
    this.subscriptions++;
    let newMember = false;
    if (userId !== null) {
      const members = (channel.members ??= new Map());
      const member = members.get(userId);
      if (member) member.count++;
      else {
        members.set(userId, { info, count: 1 });
        newMember = true;
        this.webhooks?.push(state.app, { name: 'member_added', channel: name, user_id: userId });
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
        const data = JSON.stringify({ user_id: userId });
        this.fanout(channel, eventFrame('pusher_internal:member_removed', name, data), null);
        this.webhooks?.push(state.app, { name: 'member_removed', channel: name, user_id: userId });
      }
    }
    if (channel.sockets.size === 0) {
      state.channels.delete(name);
      this.webhooks?.push(state.app, { name: 'channel_vacated', channel: name });
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
