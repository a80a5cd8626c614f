/** Test-only: a Broadcaster built from static credentials that records what it was asked to send. */
export interface BroadcastEventRecord {
  channel: string;
  name: string;
  data: unknown;
  socketId?: string;
}

export interface RecordingBroadcaster {
  readonly app: { id: string; key: string; secret: string };
  readonly clientConfig: {
    key: string;
    cluster: string;
    wsHost: string | null;
    wsPort: number | null;
    wssPort: number | null;
    forceTLS: boolean;
  };
  readonly maxBatchSize: number;
  readonly sent: BroadcastEventRecord[];
  /** Users whose connections `disconnectUser` was asked to close, in order. */
  readonly disconnected: string[];
  disconnectUser(userId: string): Promise<void>;
  trigger(channels: string[], name: string, data: unknown, opts?: { socketId?: string }): Promise<void>;
  triggerBatch(events: BroadcastEventRecord[]): Promise<void>;
}

export function createRecordingBroadcaster(app = { id: 'test-app', key: 'test-key', secret: 'test-app-secret' }): RecordingBroadcaster {
  const sent: BroadcastEventRecord[] = [];
  const disconnected: string[] = [];
  return {
    app,
    clientConfig: { key: app.key, cluster: 'banter', wsHost: null, wsPort: null, wssPort: null, forceTLS: false },
    maxBatchSize: 10,
    sent,
    disconnected,
    async disconnectUser(userId) {
      disconnected.push(userId);
    },
    async trigger(channels, name, data, opts) {
      for (const channel of channels) sent.push({ channel, name, data, socketId: opts?.socketId });
    },
    async triggerBatch(events) {
      sent.push(...events);
    },
  };
}
