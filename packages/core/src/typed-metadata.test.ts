import type { InferChatMetadata } from '@banter/server';
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { createChatClient } from './client';
import type { ChatClient, Metadata } from './index';
import { selectConversation, selectConversationList, selectMessages, selectReadBy, selectUnreadTotal } from './selectors';

// Type-level: the host's metadata types reach every message and conversation the client hands out.
// `pnpm typecheck` checks this file; a lost type parameter fails the toEqualTypeOf lines, and the
// expected errors below (an expected error that no longer happens is itself an error).

type Order = { orderId: string; priority: number };
type Topic = { topic: 'sales' | 'support' };
type AppMetadata = { message: Order; conversation: Topic };

const typed = () => createChatClient<AppMetadata>({ url: 'http://localhost/api', token: 't', realtime: false });

describe('typed metadata', () => {
  it('follows createChatClient<T> through the store, the answers, the events and the inputs', () => {
    expectTypeOf<ChatClient<AppMetadata>['store']['getSnapshot']>().returns.toHaveProperty('conversations');
    // Never called: the checks are the types (the client itself is not needed at run time).
    const check = (client: ReturnType<typeof typed>) => {
      const cs = client.store.getSnapshot().conversations.x!;
      expectTypeOf(cs.messages[0]!.metadata).toEqualTypeOf<Order | undefined>();
      expectTypeOf(cs.lastMessage!.metadata).toEqualTypeOf<Order | undefined>();
      expectTypeOf(cs.conversation.metadata).toEqualTypeOf<Topic | undefined>();
      expectTypeOf(cs.conversation.lastMessage!.metadata).toEqualTypeOf<Order | undefined>();
      expectTypeOf(client.messages.send).returns.toHaveProperty('metadata').toEqualTypeOf<Order | undefined>();
      expectTypeOf(client.conversations.get).returns.resolves.toHaveProperty('metadata').toEqualTypeOf<Topic | undefined>();
      expectTypeOf(client.on<'message'>)
        .parameter(1)
        .parameter(0)
        .toHaveProperty('message')
        .toHaveProperty('metadata')
        .toEqualTypeOf<Order | undefined>();
    };
    expectTypeOf(check).toBeFunction();
    const input = (client: ReturnType<typeof typed>) => {
      client.messages.send('c', { body: 'x', metadata: { orderId: 'o-1', priority: 1 } });
      // @ts-expect-error a field the host's type does not have
      client.messages.send('c', { body: 'x', metadata: { orderId: 'o-1', priority: 1, other: true } });
      // @ts-expect-error the wrong type for a field
      void client.messages.edit('c', 'm', 'x', { metadata: { orderId: 1, priority: 1 } });
      // @ts-expect-error conversation metadata has its own type
      void client.conversations.create({ participantIds: ['b'], metadata: { orderId: 'o-1' } });
    };
    expectTypeOf(input).toBeFunction();
  });

  it("the selectors hand out the client's metadata types", () => {
    // An interface has no index signature: a selector typed with the default Metadata refused it.
    interface Ticket {
      ticketId: string;
    }
    const check = (client: ChatClient<{ message: Ticket; conversation: Topic }>) => {
      const state = client.store.getSnapshot();
      expectTypeOf(selectMessages(state, 'c')[0]!.metadata).toEqualTypeOf<Ticket | undefined>();
      expectTypeOf(selectConversation(state, 'c')!.messages[0]!.metadata).toEqualTypeOf<Ticket | undefined>();
      expectTypeOf(selectConversation(state, 'c')!.conversation.metadata).toEqualTypeOf<Topic | undefined>();
      expectTypeOf(selectConversationList(state)[0]!.lastMessage!.metadata).toEqualTypeOf<Ticket | undefined>();
      expectTypeOf(selectConversationList(state)[0]!.conversation.metadata).toEqualTypeOf<Topic | undefined>();
      expectTypeOf(selectReadBy(state, 'c', 1)).toBeArray();
      expectTypeOf(selectUnreadTotal(state)).toBeNumber();
    };
    expectTypeOf(check).toBeFunction();
    // Without a type parameter they stay as they were.
    const plain = (client: ChatClient) => {
      expectTypeOf(selectMessages(client.store.getSnapshot(), 'c')[0]!.metadata).toEqualTypeOf<Metadata | undefined>();
    };
    expectTypeOf(plain).toBeFunction();
  });

  it('without a type parameter, metadata is any JSON object', () => {
    type M = ChatClient['store']['getSnapshot'] extends () => infer S ? S : never;
    expectTypeOf<M['conversations'][string]['messages'][number]['metadata']>().toEqualTypeOf<Metadata | undefined>();
  });

  it("InferChatMetadata gives the client the server's schema types", () => {
    type Schemas = { message: z.ZodObject<{ orderId: z.ZodString }> };
    type Inferred = InferChatMetadata<Schemas>;
    expectTypeOf<Inferred['message']>().toEqualTypeOf<{ orderId: string }>();
    expectTypeOf<Inferred['conversation']>().toEqualTypeOf<Metadata>();
    type M = ReturnType<ChatClient<Inferred>['store']['getSnapshot']>['conversations'][string]['messages'][number];
    expectTypeOf<M['metadata']>().toEqualTypeOf<{ orderId: string } | undefined>();
  });
});
