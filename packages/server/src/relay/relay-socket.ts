import { WebSocket } from 'ws';
import type { RelayApp } from './types';

/**
 * A relay connection: the ws socket itself carries the Pusher state, so one object per
 * connection and no per-connection closures (ws is told to construct this class).
 */
export class RelaySocket extends WebSocket {
  socketId = '';
  app: AppState | null = null;
  /** Subscribed channel -> presence user id (null elsewhere); created on the first subscription. */
  channels: Map<string, string | null> | null = null;
  /** Seen since the last keep-alive sweep. */
  alive = true;
  /** Client-event rate window: start (ms) and count. */
  rateWindow = 0;
  rateCount = 0;
}

// The channel state lives here, next to the socket that points into it, and not in hub.ts:
// the two refer to each other, and one file keeps the module graph free of cycles.

export interface Member {
  info: unknown;
  /** Connections of this user on the channel: member_added on the first, member_removed on the last. */
  count: number;
}

export interface Channel {
  sockets: Set<RelaySocket>;
  /** Presence channels only. */
  members: Map<string, Member> | null;
}

export interface AppState {
  app: RelayApp;
  channels: Map<string, Channel>;
}
