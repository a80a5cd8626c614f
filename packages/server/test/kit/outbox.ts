/** Helpers for the outbox's integration tests (not part of the public API). */
import { randomUUID } from 'node:crypto';
import type { ChatServer } from '../../src/chat-server';
import type { BroadcastEvent } from '../../src/realtime/broadcaster';
import { createRecordingBroadcaster, type RecordingBroadcaster } from './recording-broadcaster';

/** A recording broadcaster whose triggerBatch fails while `shouldFail(events)` says so; counts calls. */
export interface FlakyBroadcaster extends RecordingBroadcaster {
  calls: number;
  failures: number;
  shouldFail: (events: BroadcastEvent[]) => boolean;
}

export function flakyBroadcaster(shouldFail: (events: BroadcastEvent[]) => boolean = () => false): FlakyBroadcaster {
  const inner = createRecordingBroadcaster();
  const flaky: FlakyBroadcaster = {
    ...inner,
    calls: 0,
    failures: 0,
    shouldFail,
    async triggerBatch(events) {
      flaky.calls++;
      if (flaky.shouldFail(events)) {
        flaky.failures++;
        throw new Error('broadcaster unavailable (test)');
      }
      await inner.triggerBatch(events);
    },
  };
  return flaky;
}

/** Fails the first `n` calls, then works. */
export function failingTimes(n: number): (events: BroadcastEvent[]) => boolean {
  let left = n;
  return () => left-- > 0;
}

/** A two-person conversation with unique user ids, and a sender of `count` numbered messages. */
export async function conversationOf(chat: ChatServer, label: string) {
  const run = randomUUID().slice(0, 8);
  const alice = `alice-${label}-${run}`;
  const bob = `bob-${label}-${run}`;
  const { conversation } = await chat.api.createConversation({ createdBy: alice, participantIds: [bob] });
  return {
    alice,
    bob,
    conversationId: conversation.id,
    async send(count: number, via: ChatServer = chat) {
      for (let i = 0; i < count; i++) {
        await via.api.sendMessage({ conversationId: conversation.id, senderId: i % 2 ? bob : alice, body: `m${i}` });
      }
    },
  };
}

interface Created {
  conversationId: string;
  seq: number;
  message?: { id: string };
}

/** The seqs of `message.created` events of one conversation that reached `channel`, in arrival order. */
export function seqsOn(broadcaster: RecordingBroadcaster, channel: string, conversationId: string): number[] {
  return broadcaster.sent
    .filter((e) => e.channel === channel && e.name === 'message.created' && (e.data as Created).conversationId === conversationId)
    .map((e) => (e.data as Created).seq);
}

export const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
