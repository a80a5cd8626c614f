import type { InferChatMetadata } from '@banter/server';
import { databaseTargets } from '@banter/server/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { until } from '../../server/test/kit/until';
import { type ChatStack, useChatStack } from '../test/chat-stack';
import { createChatClient } from './client';
import { selectConversation, selectMessages } from './selectors';
import type { ChatClient } from './types';

// Issue 14's typed custom data, end to end: the server checks the host's zod schemas, one client
// sends with metadata, another receives it typed (createChatClient<InferChatMetadata<…>>()), and
// metadata the schema refuses is a clear error that loses nothing (the server wrote nothing, the
// sender keeps the message as it was written).
const schemas = {
  message: z.strictObject({ orderId: z.string().regex(/^o-\d+$/), priority: z.number().int() }),
  conversation: z.strictObject({ topic: z.enum(['sales', 'support']) }),
};
type AppMetadata = InferChatMetadata<typeof schemas>;
type Order = z.infer<typeof schemas.message>;

/** A client typed with the host's metadata, as an app makes one, connected. */
async function typedClient(stack: ChatStack, name: string): Promise<{ client: ChatClient<AppMetadata>; userId: string }> {
  const userId = stack.userId(name);
  const client = createChatClient<AppMetadata>({ url: stack.url, token: await stack.token(userId) });
  await client.ready;
  await until(`${name} connected`, () => client.connection.state === 'connected');
  return { client, userId };
}

for (const target of databaseTargets()) {
  describe(`typed metadata between two clients (${target.name})`, () => {
    const stack = useChatStack(target, { metadata: schemas });

    it('A sends with metadata, B receives it typed; refused metadata is 422/400 for A, nothing written, nothing lost', async () => {
      const alice = await typedClient(stack, 'md-alice');
      const bob = await typedClient(stack, 'md-bob');
      try {
        const conversation = await alice.client.conversations.create({
          participantIds: [bob.userId],
          title: 'Order 7',
          metadata: { topic: 'sales' },
        });
        const id = conversation.id;
        expect(conversation.metadata).toEqual({ topic: 'sales' });
        await alice.client.messages.load(id);
        await bob.client.conversations.get(id);
        await bob.client.messages.load(id);

        alice.client.messages.send(id, { body: 'shipped', metadata: { orderId: 'o-7', priority: 2 } });
        const received = () => selectMessages(bob.client.store.getSnapshot(), id).find((m) => m.body === 'shipped');
        await until('bob to get the message', () => received() !== undefined);
        // Typed from the server's schemas: the store, the selectors, the conversation.
        expectTypeOf(received()!.metadata).toEqualTypeOf<Order | undefined>();
        expect(received()!.metadata).toEqual({ orderId: 'o-7', priority: 2 });
        const conv = selectConversation(bob.client.store.getSnapshot(), id)!;
        expectTypeOf(conv.conversation.metadata).toEqualTypeOf<{ topic: 'sales' | 'support' } | undefined>();
        expect(conv.conversation.metadata).toEqual({ topic: 'sales' });
        await until('alice to see hers confirmed', () =>
          selectMessages(alice.client.store.getSnapshot(), id).some((m) => m.body === 'shipped' && m.status === 'sent'),
        );
        const mid = received()!.id!;

        // Refused by the schema (422 unprocessable, metadata_invalid) and not an object at all (400
        // validation_failed): each send fails for Alice with the reason, her message kept as written.
        alice.client.messages.send(id, { body: 'bad order', metadata: { orderId: 'nope', priority: 1 } });
        alice.client.messages.send(id, { body: 'no object', metadata: [1] as unknown as Order });
        const mine = (body: string) => selectMessages(alice.client.store.getSnapshot(), id).find((m) => m.body === body);
        await until('both refused', () => mine('bad order')?.status === 'failed' && mine('no object')?.status === 'failed');
        expect(mine('bad order')!.error).toMatchObject({ code: 'unprocessable', status: 422, details: { reason: 'metadata_invalid' } });
        expect(mine('bad order')!.error!.message).toMatch(/metadata\.orderId/);
        expect(mine('bad order')!.sending?.metadata).toEqual({ orderId: 'nope', priority: 1 });
        expect(mine('no object')!.error).toMatchObject({ code: 'validation_failed', status: 400 });

        // An edit with refused metadata rejects and leaves the message as it was, for both.
        const refused = alice.client.messages.edit(id, mid, 'shipped today', { metadata: { orderId: 'x', priority: 1 } });
        await expect(refused).rejects.toMatchObject({ code: 'unprocessable', details: { reason: 'metadata_invalid' } });
        const own = selectMessages(alice.client.store.getSnapshot(), id).find((m) => m.id === mid)!;
        expect(own).toMatchObject({ body: 'shipped', metadata: { orderId: 'o-7', priority: 2 }, editedAt: null });

        // A valid edit reaches Bob with its metadata; the refused sends never did, and wrote nothing.
        await alice.client.messages.edit(id, mid, 'shipped today', { metadata: { orderId: 'o-7', priority: 3 } });
        const bobsCopy = () => selectMessages(bob.client.store.getSnapshot(), id).find((m) => m.id === mid);
        await until('bob to see the edit', () => bobsCopy()?.body === 'shipped today');
        expect(bobsCopy()!.metadata).toEqual({ orderId: 'o-7', priority: 3 });
        alice.client.messages.send(id, { body: 'after', metadata: { orderId: 'o-8', priority: 1 } });
        await until('bob to get the next one', () => selectMessages(bob.client.store.getSnapshot(), id).some((m) => m.body === 'after'));
        const bobs = selectMessages(bob.client.store.getSnapshot(), id);
        expect(bobs.map((m) => [m.seq, m.body, m.metadata])).toEqual([
          [1, 'shipped today', { orderId: 'o-7', priority: 3 }],
          [2, 'after', { orderId: 'o-8', priority: 1 }],
        ]);
        const stored = await fetch(`${stack.url}/conversations/${id}/messages`, {
          headers: { authorization: `Bearer ${await stack.token(alice.userId)}` },
        }).then((r) => r.json() as Promise<{ messages: Array<{ body: string }> }>);
        expect(stored.messages.map((m) => m.body)).toEqual(['shipped today', 'after']);
      } finally {
        alice.client.close();
        bob.client.close();
      }
    }, 60_000);
  });
}
