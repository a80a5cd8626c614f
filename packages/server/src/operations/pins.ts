import { messageResponseSchema, pinsResponseSchema } from '@banter/core/protocol';
import { idSchema, listPinsInputSchema, type MessageResponse, messageRefInputSchema, type PinsResponse } from '@banter/core/protocol';
import { messageNotFound } from '../store/message-lifecycle';
import { listPins as storeListPins, setPinned } from '../store/pins';
import { conversationIdOf, userOf } from './conversation-id';
import { presentMessages } from './present';
import { type Actor, defineOperation, type OperationContext } from './types';

const pinHttp = (method: 'PUT' | 'DELETE') => ({
  method,
  path: '/conversations/:id/messages/:messageId/pin',
  params: { id: 'conversationId' },
  input: 'none' as const,
  errors: ['not_found', 'forbidden', 'conflict', 'unprocessable', 'rate_limited'],
  response: messageResponseSchema,
});

async function pin(ctx: OperationContext, actor: Actor, input: { conversationId: string; messageId: string }, pinned: boolean) {
  const conversationId = conversationIdOf(input.conversationId);
  if (!idSchema.safeParse(input.messageId).success) throw messageNotFound(input.messageId);
  const ref = { conversationId, messageId: input.messageId.toLowerCase(), userId: userOf(actor).id };
  const { message } = await setPinned(ctx.state.store, ref, pinned, ctx.meta);
  const [read] = await presentMessages(ctx.state, [message], ref.userId);
  return { message: read! };
}

/** `PUT /conversations/:id/messages/:messageId/pin`: pin (group admins; either side of a direct conversation). */
export const pinMessage = defineOperation({
  name: 'pinMessage',
  summary: 'Pin a message in its conversation (group admins; either participant of a direct one); answers the message',
  input: messageRefInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: pinHttp('PUT'),
  async run(ctx, actor, input): Promise<MessageResponse> {
    return pin(ctx, actor, input, true);
  },
});

/** `DELETE /conversations/:id/messages/:messageId/pin`: unpin (the same rule). */
export const unpinMessage = defineOperation({
  name: 'unpinMessage',
  summary: 'Unpin a message (the same rule as pinning); answers the message',
  input: messageRefInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: pinHttp('DELETE'),
  async run(ctx, actor, input): Promise<MessageResponse> {
    return pin(ctx, actor, input, false);
  },
});

/** `GET /conversations/:id/pins`: the pinned messages, latest pinned first. */
export const listPins = defineOperation({
  name: 'listPins',
  summary: "A conversation's pinned messages, latest pinned first (at most 50)",
  input: listPinsInputSchema,
  actors: ['user', 'host'],
  http: {
    method: 'GET',
    path: '/conversations/:id/pins',
    params: { id: 'conversationId' },
    input: 'none',
    errors: ['not_found'],
    response: pinsResponseSchema,
  },
  async run(ctx, actor, input): Promise<PinsResponse> {
    const viewer = userOf(actor).id;
    const messages = await storeListPins(ctx.state.store, viewer, conversationIdOf(input.conversationId));
    return { messages: await presentMessages(ctx.state, messages, viewer) };
  },
});
