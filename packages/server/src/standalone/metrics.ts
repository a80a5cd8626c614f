import type { RelayStats } from '../relay/types';

const RELAY_HELP: Record<keyof RelayStats, [type: 'gauge' | 'counter', help: string]> = {
  connections: ['gauge', 'Open WebSocket connections'],
  channels: ['gauge', 'Channels with at least one subscriber'],
  subscriptions: ['gauge', 'Channel subscriptions over all connections'],
  messagesIn: ['counter', 'Frames received from clients'],
  messagesOut: ['counter', 'Frames sent to clients'],
  clientEvents: ['counter', 'Client events (client-*) relayed'],
  refusedSubscriptions: ['counter', 'Subscriptions refused (bad auth, limits)'],
  droppedSlowConnections: ['counter', 'Connections dropped for reading too slowly'],
  droppedDeadConnections: ['counter', 'Connections dropped for not answering pings'],
  httpRequests: ['counter', 'Relay HTTP API requests'],
  webhooksSent: ['counter', 'Webhooks delivered'],
  webhookFailures: ['counter', 'Webhooks that failed'],
};

/**
 * Prometheus text exposition for `/metrics`: process uptime, the embedded relay's counters, and
 * the outbox (table-wide) and this process's dispatcher counters.
 *
 * @example
 * prometheusText({ relay: relay.stats(), outbox: (await chat.metrics()).outbox, dispatcher: chat.dispatcher?.stats() });
 * // '# HELP banter_uptime_seconds ...\nbanter_uptime_seconds 12\n...'
 */
export function prometheusText(input: {
  relay?: RelayStats | null;
  outbox?: Record<string, unknown> | null;
  dispatcher?: Record<string, unknown> | null;
}): string {
  const lines: string[] = [];
  const metric = (name: string, type: string, help: string, value: number) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
  };
  metric('banter_uptime_seconds', 'gauge', 'Seconds since the process started', Math.round(process.uptime()));
  if (input.relay) {
    for (const [key, [type, help]] of Object.entries(RELAY_HELP) as [keyof RelayStats, [string, string]][]) {
      const name = `banter_relay_${snake(key)}${type === 'counter' ? '_total' : ''}`;
      metric(name, type, help, input.relay[key]);
    }
  }
  for (const [key, value] of Object.entries(input.outbox ?? {})) {
    if (typeof value === 'number' && Number.isFinite(value)) metric(`banter_outbox_${snake(key)}`, 'gauge', `Outbox rows: ${key} (all instances)`, value);
  }
  for (const [key, value] of Object.entries(input.dispatcher ?? {})) {
    if (typeof value === 'number' && Number.isFinite(value)) {
      metric(`banter_dispatcher_${snake(key)}_total`, 'counter', `Outbox dispatcher of this process: ${key}`, value);
    }
  }
  return `${lines.join('\n')}\n`;
}

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/[^a-z0-9_]/g, '_');
}
