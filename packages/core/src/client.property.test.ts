import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { FakeTransport, ReferenceServer } from '../test/reference-server';
import { createClientCore } from './client';
import { BanterError } from './errors';
import type { HttpApi } from './http';
import type { ChatClient } from './types';

type Command =
  | { kind: 'send'; body: string }
  | { kind: 'receive'; body: string; large: boolean } // bob sends: alice gets it by realtime (large: without the message)
  | { kind: 'discard' }
  | { kind: 'failNextSend'; stored: boolean } // the next reply is a 502; the server may still have stored it
  | { kind: 'loseNextEvent' }
  | { kind: 'disconnect' }
  | { kind: 'reconnect' }
  | { kind: 'retry' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.string({ minLength: 1, maxLength: 4 }).map((body) => ({ kind: 'send', body: `a${body}` }) as const) },
  {
    weight: 4,
    arbitrary: fc
      .record({ body: fc.string({ minLength: 1, maxLength: 4 }), large: fc.boolean() })
      .map(({ body, large }) => ({ kind: 'receive', body: `b${body}`, large }) as const),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'discard' } as const) },
  { weight: 1, arbitrary: fc.boolean().map((stored) => ({ kind: 'failNextSend', stored }) as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'loseNextEvent' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'disconnect' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reconnect' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'retry' } as const) },
);

function confirmedView(client: ChatClient, conversationId: string) {
  return client.store
    .getSnapshot()
    .conversations[conversationId]!.messages.map((m) => ({ id: m.id, seq: m.seq, body: m.body, clientId: m.clientId, status: m.status }));
}

describe('client against a reference server (property)', () => {
  it('ends with exactly the server messages, in order, once each, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.array(command, { minLength: 1, maxLength: 25 }), async (s, commands) => {
        const server = new ReferenceServer();
        server.addUser('alice');
        server.addUser('bob');
        const conversationId = server.createConversation(['alice', 'bob']);
        const transport = new FakeTransport();
        let offline = false;
        let failNext: { stored: boolean } | null = null;
        let loseNext = false;
        let stripNext = false;

        // Realtime events travel independently of HTTP replies: the scheduler picks the order.
        server.onEvent = (userId, name, data) => {
          if (userId !== 'alice') return;
          if (transport.state !== 'connected' || loseNext) {
            loseNext = false;
            return;
          }
          if (stripNext && name === 'message.created') {
            // Too large for the realtime service: the event carries only conversationId and seq.
            stripNext = false;
            const { message: _omitted, ...rest } = data as { message?: unknown };
            data = rest;
          }
          void s.schedule(Promise.resolve(), `deliver ${name}`).then(() => transport.deliver(name, data));
        };

        const model = server.http('alice');
        const scheduled = <A extends unknown[], T>(name: string, fn: (...args: A) => Promise<T>) =>
          s.scheduleFunction(async (...args: A) => {
            if (offline) throw new BanterError('network', `${name}: offline`);
            return fn(...args);
          });
        const http: HttpApi = {
          ...model,
          me: scheduled('me', model.me),
          getConversation: scheduled('getConversation', model.getConversation),
          listConversations: scheduled('listConversations', model.listConversations),
          listMessages: scheduled('listMessages', model.listMessages),
          markRead: scheduled('markRead', model.markRead),
          sendMessage: scheduled('sendMessage', async (id: string, body: { clientId: string; body: string }) => {
            if (failNext) {
              const { stored } = failNext;
              failNext = null;
              if (stored) model.sendMessage(id, body);
              throw new BanterError('unavailable', 'bad gateway', { status: 502 });
            }
            return model.sendMessage(id, body);
          }),
        };

        const client = createClientCore({
          http,
          connectRealtime: async () => transport,
          // Only reconnection resumes a waiting send here: no wall-clock timers in the property.
          timings: { sendBackoff: () => 1e9 },
        });
        try {
          await s.waitFor(client.ready);
          transport.setState('connected');
          // The realtime session starts after a lazy import: wait for it to pick the state up.
          await vi.waitFor(() => expect(client.connection.state).toBe('connected'), { interval: 1 });
          await s.waitFor(client.conversations.get(conversationId));
          await s.waitFor(client.messages.load(conversationId));

          const sentOrder: string[] = [];
          const discarded = new Set<string>();
          const everFailed = new Set<string>();
          client.on('error', ({ clientId }) => {
            if (clientId) everFailed.add(clientId);
          });

          const steps = commands.map((c) => ({
            label: JSON.stringify(c),
            builder: async () => {
              switch (c.kind) {
                case 'send':
                  sentOrder.push(client.messages.send(conversationId, c.body).clientId);
                  break;
                case 'receive':
                  stripNext = c.large;
                  server.send(conversationId, 'bob', server.uuid(), c.body);
                  stripNext = false;
                  break;
                case 'discard':
                  for (const m of client.store.getSnapshot().conversations[conversationId]!.messages) {
                    if (m.status === 'failed' && client.messages.discard(m.clientId)) discarded.add(m.clientId);
                  }
                  break;
                case 'failNextSend':
                  failNext = { stored: c.stored };
                  break;
                case 'loseNextEvent':
                  loseNext = true;
                  break;
                case 'disconnect':
                  offline = true;
                  transport.setState('unavailable');
                  break;
                case 'reconnect':
                  offline = false;
                  transport.setState('connected');
                  break;
                case 'retry':
                  for (const m of client.store.getSnapshot().conversations[conversationId]!.messages) {
                    if (m.status === 'failed') client.messages.retry(m.clientId);
                  }
                  break;
              }
            },
          }));
          const sequence = s.scheduleSequence(steps);
          await s.waitIdle();
          expect(sequence.done).toBe(true);

          // Settle: back online, nothing failing, every failed message retried.
          failNext = null;
          loseNext = false;
          offline = false;
          if (transport.state !== 'connected') transport.setState('connected');
          await s.waitIdle();
          for (const m of client.store.getSnapshot().conversations[conversationId]!.messages) {
            if (m.status === 'failed') client.messages.retry(m.clientId);
          }
          await s.waitIdle();
          // One more reconnection catches up on anything lost while events were dropped.
          transport.setState('unavailable');
          transport.setState('connected');
          await s.waitIdle();

          const truth = server.conversations.get(conversationId)!.messages;
          const view = confirmedView(client, conversationId);
          expect(view.map((m) => m.id)).toEqual(truth.map((m) => m.id));
          expect(view.map((m) => m.seq)).toEqual(truth.map((m) => m.seq));
          expect(view.map((m) => m.body)).toEqual(truth.map((m) => m.body));
          // Every send is on the server exactly once (a discarded one only if it got stored before failing).
          const aliceClientIds = truth.filter((m) => m.senderId === 'alice').map((m) => m.clientId);
          expect(new Set(aliceClientIds).size).toBe(aliceClientIds.length);
          expect(sentOrder.filter((id) => !aliceClientIds.includes(id)).every((id) => discarded.has(id))).toBe(true);
          expect(aliceClientIds.every((id) => sentOrder.includes(id!))).toBe(true);
          // Sends that never failed kept their order.
          const steady = sentOrder.filter((id) => !everFailed.has(id) && !discarded.has(id));
          expect(aliceClientIds.filter((id) => steady.includes(id!))).toEqual(steady);
          const state = client.store.getSnapshot().conversations[conversationId]!;
          expect(state.conversation.lastSeq).toBe(truth.length);
          expect(state.lastMessage?.id ?? null).toBe(truth.at(-1)?.id ?? null);
        } finally {
          client.close();
        }
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});
