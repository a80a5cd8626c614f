import { WebSocket } from 'ws';
import type { AppState } from './hub';

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
