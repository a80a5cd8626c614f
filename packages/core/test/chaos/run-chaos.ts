import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import type { DatabaseTarget } from '@banter/server/testing';
import Pusher from 'pusher-js';
import { createChatClient } from '../../src/client';
import type { Message } from '../../src/protocol/schemas';
import type { ChatClient } from '../../src/types';
import { type ChaosStack, startChaosStack } from './chaos-stack';

export interface ChaosOptions {
  /** How long clients send while faults are injected. */
  durationMs: number;
  users: number;
  conversations: number;
  /** Each user sends about once per interval (jittered), to one of its conversations. */
  sendIntervalMs: number;
  faults: {
    relayRestartEveryMs: number;
    /** pg_terminate_backend on the serving instance's connections (PostgreSQL only). */
    dbKillEveryMs: number;
    broadcasterOutageEveryMs: number;
    broadcasterOutageMs: number;
    instanceKillEveryMs: number;
    clientDropEveryMs: number;
    /**
     * Oversized events: a message of 4,000 three-byte characters (its events must carry ids only),
     * and an outbox row over 10 KB (refused at once: one dead letter, nothing else held back).
     */
    oversizedEventEveryMs?: number;
    /** Restart the whole PostgreSQL cluster (pg_ctlcluster); only in a deliberate --full run. */
    clusterRestartEveryMs?: number;
  };
  /** After the faults stop, how long the settle waits without any progress for every client to agree with the server (4x in all at most). */
  settleMs: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  sent: number;
  acknowledged: number;
  /** Acknowledged messages found in a participant's client state (one count per participant). */
  delivered: number;
  expectedDeliveries: number;
  lost: number;
  duplicated: number;
  faults: Record<string, number>;
  /** Every disagreement between a client and the server (empty when all is well). */
  mismatches: string[];
  /** Dead letters other than the injected oversized rows (each of those must be one). */
  deadLetters: number;
  summary: string;
}

interface Participant {
  userId: string;
  client: ChatClient;
  pusher: () => Pusher | undefined;
  conversations: string[];
  sent: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A deterministic generator, so a failing run can be repeated with its seed. */
function random(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/**
 * Many core clients (with pusher-js) in many conversations send for a fixed time while faults
 * are injected; then every participant's state is compared with the server's history.
 */
export async function runChaos(target: DatabaseTarget, options: ChaosOptions, seed = Date.now()): Promise<ChaosReport> {
  const log = options.log ?? (() => {});
  const rand = random(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)]!;
  const stack = await startChaosStack(target);
  const faults: Record<string, number> = {
    relayRestarts: 0,
    dbConnectionsKilled: 0,
    broadcasterOutages: 0,
    instanceKills: 0,
    clientDrops: 0,
    offlineSends: 0,
    clusterRestarts: 0,
    failedSendsRetried: 0,
    oversizedEvents: 0,
  };
  /** Message ids the server acknowledged (2xx to a send), by conversation. */
  const acked = new Map<string, Map<string, Message>>();
  const participants: Participant[] = [];

  try {
    const run = Math.floor(rand() * 1e6).toString(36);
    const userIds = Array.from({ length: options.users }, (_, i) => `chaos${i}-${run}`);
    const memberships = new Map<string, string[]>(userIds.map((u) => [u, []]));
    for (let i = 0; i < options.conversations; i++) {
      // Direct pairs first, then groups of 3-4.
      const size = i < options.conversations / 2 ? 2 : 3 + Math.floor(rand() * 2);
      const members = new Set<string>([userIds[i % userIds.length]!]);
      while (members.size < size) members.add(pick(userIds));
      const [creator, ...others] = [...members];
      const { conversation } = await stack.truth.createConversation({
        createdBy: creator!,
        participantIds: others,
        ...(size > 2 ? { title: `group ${i}` } : {}),
      });
      for (const m of members) memberships.get(m)!.push(conversation.id);
    }

    for (const userId of userIds) {
      if (memberships.get(userId)!.length === 0) continue;
      participants.push(await connect(stack, userId, memberships.get(userId)!, acked));
    }
    log(`chaos: ${participants.length} clients in ${options.conversations} conversations on ${stack.dialect}, seed ${seed}`);

    // ------------------------------------------------------------ load and faults
    const until = Date.now() + options.durationMs;
    const running = () => Date.now() < until;
    const loops: Promise<void>[] = [];
    const every = (ms: number, fn: () => Promise<void>) => {
      if (!(ms > 0) || !Number.isFinite(ms)) return;
      loops.push(
        (async () => {
          await sleep(ms * (0.5 + rand() * 0.5));
          while (running()) {
            await fn().catch((error) => log(`chaos: fault action failed: ${(error as Error).message}`));
            await sleep(ms * (0.75 + rand() * 0.5));
          }
        })(),
      );
    };

    for (const p of participants) {
      loops.push(
        (async () => {
          await sleep(rand() * options.sendIntervalMs);
          while (running()) {
            p.client.messages.send(pick(p.conversations), `${p.userId} #${++p.sent}`);
            if (rand() < 0.15) p.client.markRead(pick(p.conversations)).catch(() => {});
            await sleep(options.sendIntervalMs * (0.5 + rand()));
          }
        })(),
      );
    }

    const f = options.faults;
    every(f.relayRestartEveryMs, async () => {
      await stack.restartRelay();
      faults.relayRestarts!++;
    });
    if (stack.dialect === 'postgres') {
      every(f.dbKillEveryMs, async () => {
        faults.dbConnectionsKilled! += await stack.killConnections();
      });
      if (f.clusterRestartEveryMs) {
        every(f.clusterRestartEveryMs, async () => {
          await restartCluster();
          faults.clusterRestarts!++;
        });
      }
    }
    every(f.broadcasterOutageEveryMs, async () => {
      stack.setBroadcasterDown(true);
      faults.broadcasterOutages!++;
      await sleep(f.broadcasterOutageMs);
      stack.setBroadcasterDown(false);
    });
    every(f.instanceKillEveryMs, async () => {
      await stack.replaceInstance();
      faults.instanceKills!++;
    });
    every(f.clientDropEveryMs, async () => {
      // A client loses its connection, the user keeps typing (sends queue while offline), then it is back.
      const p = pick(participants);
      p.pusher()?.disconnect();
      faults.clientDrops!++;
      await sleep(200);
      for (let i = 0; i < 2; i++) {
        p.client.messages.send(pick(p.conversations), `${p.userId} #${++p.sent} (offline)`);
        faults.offlineSends!++;
      }
      await sleep(500 + rand() * 1000);
      p.pusher()?.connect();
    });
    every(f.oversizedEventEveryMs ?? 0, async () => {
      const p = pick(participants);
      const conversationId = pick(p.conversations);
      p.client.messages.send(conversationId, `${'€'.repeat(3980)} ${p.userId} #${++p.sent}`);
      await stack.injectOversizedEvent(conversationId, p.userId);
      faults.oversizedEvents!++;
    });
    await Promise.all(loops);
    stack.setBroadcasterDown(false);
    log(`chaos: load over; faults ${JSON.stringify(faults)}; settling`);

    // ------------------------------------------------------------ settle
    for (const p of participants) p.pusher()?.connect();
    // The settle ends when everything agrees, or when nothing has moved for settleMs (each
    // delivery, confirmation or drained outbox row starts the wait again), and at most 4 x settleMs
    // in all: under load the queued retries drain slowly, and a fixed window compared a moving target.
    const settleStart = Date.now();
    let movedAt = settleStart;
    let progress = '';
    let comparison = await compare(stack, participants, acked);
    while (Date.now() - movedAt < options.settleMs && Date.now() - settleStart < 4 * options.settleMs) {
      // What a user does with a message marked failed: press retry (same clientId, stored once).
      for (const p of participants) {
        for (const cs of Object.values(p.client.store.getSnapshot().conversations)) {
          for (const m of cs.messages) {
            if (m.seq === null && m.status === 'failed') {
              p.client.messages.retry(m.clientId);
              faults.failedSendsRetried!++;
            }
          }
        }
      }
      const outbox = await stack.outbox();
      comparison = await compare(stack, participants, acked);
      if (outbox.pending === 0 && comparison.mismatches.length === 0 && comparison.unsent === 0) break;
      const now = `${comparison.delivered} ${comparison.unsent} ${comparison.mismatches.length} ${outbox.pending}`;
      if (now !== progress) [progress, movedAt] = [now, Date.now()];
      await sleep(500);
    }

    const outbox = await stack.outbox();
    const acknowledged = [...acked.values()].reduce((n, m) => n + m.size, 0);
    const sent = participants.reduce((n, p) => n + p.sent, 0);
    const report: ChaosReport = {
      sent,
      acknowledged,
      delivered: comparison.delivered,
      expectedDeliveries: comparison.expected,
      lost: comparison.lost,
      duplicated: comparison.duplicated,
      faults,
      mismatches: [...comparison.mismatches, ...(outbox.pending ? [`${outbox.pending} outbox rows still pending`] : [])],
      deadLetters: outbox.dead - faults.oversizedEvents!,
      summary: '',
    };
    const faultText = Object.entries(faults)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    report.summary =
      `chaos (${stack.dialect}, ${options.durationMs / 1000} s, ${participants.length} clients, seed ${seed}): ` +
      `messages sent ${sent}, acknowledged ${acknowledged}, delivered ${report.delivered}/${report.expectedDeliveries}, ` +
      `lost ${report.lost}, duplicated ${report.duplicated}, dead letters ${report.deadLetters}, mismatches ${report.mismatches.length}; ` +
      `faults injected: ${faultText}`;
    return report;
  } finally {
    for (const p of participants) p.client.close();
    await stack.close();
  }
}

async function connect(
  stack: ChaosStack,
  userId: string,
  conversations: string[],
  acked: Map<string, Map<string, Message>>,
): Promise<Participant> {
  const token = await stack.token(userId);
  let pusher: Pusher | undefined;
  // Records what the server acknowledged: a 2xx answer to a send, as the client received it.
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    if (method.toUpperCase() === 'POST' && /\/conversations\/[^/]+\/messages$/.test(new URL(url).pathname) && response.ok) {
      const { message } = (await response.clone().json()) as { message: Message };
      let byId = acked.get(message.conversationId);
      if (!byId) acked.set(message.conversationId, (byId = new Map()));
      byId.set(message.id, message);
    }
    return response;
  };
  const client = createChatClient({
    url: stack.url,
    token,
    fetch: recordingFetch,
    timeout: 5000,
    realtime: {
      Pusher: class extends Pusher {
        constructor(key: string, opts: ConstructorParameters<typeof Pusher>[1]) {
          super(key, opts);
          pusher = this as Pusher;
        }
      } as typeof Pusher,
    },
  });
  await client.ready;
  const deadline = Date.now() + 15_000;
  while (client.connection.state !== 'connected') {
    if (Date.now() > deadline) throw new Error(`chaos: ${userId} did not connect`);
    await sleep(20);
  }
  // The list is loaded (so catch-up refreshes unread counts), and each conversation's messages.
  await client.conversations.list();
  for (const id of conversations) await client.messages.load(id);
  return { userId, client, pusher: () => pusher, conversations, sent: 0 };
}

async function serverHistory(stack: ChaosStack, userId: string, conversationId: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const page = await stack.truth.listMessages(userId, conversationId, { after: all.at(-1)?.seq ?? 0, limit: 100 });
    all.push(...page!.messages);
    if (!page!.hasMore) return all;
  }
}

/** Every participant's state against the server: messages, order, unread counts, read receipts. */
async function compare(stack: ChaosStack, participants: Participant[], acked: Map<string, Map<string, Message>>) {
  const mismatches: string[] = [];
  let delivered = 0;
  let expected = 0;
  let lost = 0;
  let duplicated = 0;
  let unsent = 0;
  const histories = new Map<string, Message[]>();
  for (const p of participants) {
    const state = p.client.store.getSnapshot();
    for (const id of p.conversations) {
      const where = `${p.userId} in ${id.slice(0, 8)}`;
      let history = histories.get(id);
      if (!history) histories.set(id, (history = await serverHistory(stack, p.userId, id)));
      const cs = state.conversations[id];
      if (!cs) {
        mismatches.push(`${where}: conversation missing from the client`);
        continue;
      }
      const confirmed = cs.messages.filter((m) => m.seq !== null);
      const pending = cs.messages.filter((m) => m.seq === null);
      unsent += pending.length;
      // Duplicates: the same id twice, or a pending copy of a message the client already has.
      const ids = new Set<string>();
      for (const m of confirmed) {
        if (ids.has(m.id!)) duplicated++;
        ids.add(m.id!);
      }
      const confirmedClientIds = new Set(confirmed.filter((m) => m.senderId === p.userId).map((m) => m.clientId));
      for (const m of pending) if (confirmedClientIds.has(m.clientId)) duplicated++;
      // Lost: acknowledged by the server, absent here.
      for (const message of acked.get(id)?.values() ?? []) {
        expected++;
        if (ids.has(message.id)) delivered++;
        else lost++;
      }
      const mine = confirmed.map((m) => `${m.seq}:${m.id}:${m.body}`).join('|');
      const theirs = history.map((m) => `${m.seq}:${m.id}:${m.body}`).join('|');
      if (mine !== theirs) mismatches.push(`${where}: messages differ (client ${confirmed.length}, server ${history.length})`);
      if (pending.length) mismatches.push(`${where}: ${pending.length} sends not confirmed (${pending.map((m) => m.status).join(',')})`);
      const server = await stack.truth.getConversation(p.userId, id);
      const c = cs.conversation;
      if (server!.unreadCount !== c.unreadCount) mismatches.push(`${where}: unread ${c.unreadCount}, server ${server!.unreadCount}`);
      if (server!.lastReadSeq !== c.lastReadSeq) mismatches.push(`${where}: lastReadSeq ${c.lastReadSeq}, server ${server!.lastReadSeq}`);
      for (const sp of server!.participants) {
        const cp = c.participants.find((x) => x.user.id === sp.user.id);
        if (cp?.lastReadSeq !== sp.lastReadSeq) {
          mismatches.push(`${where}: read receipt of ${sp.user.id} ${cp?.lastReadSeq}, server ${sp.lastReadSeq}`);
        }
      }
    }
  }
  return { mismatches, delivered, expected, lost, duplicated, unsent };
}

/** Only in a deliberate --full run with CHAOS_PG_RESTART=1: other suites share this cluster. */
function restartCluster(): Promise<void> {
  const version = readdirSync('/etc/postgresql')[0]!;
  return new Promise((resolve, reject) =>
    execFile('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], (error) => (error ? reject(error) : resolve())),
  );
}
