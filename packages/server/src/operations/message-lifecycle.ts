import { messageResponseSchema, messageVersionsResponseSchema, reactionsResponseSchema } from '@banter/core/protocol';
import {
  editMessageInputSchema,
  idSchema,
  type MessageResponse,
  type MessageVersionsResponse,
  messageRefInputSchema,
  reactionInputSchema,
  type ReactionsResponse,
} from '@banter/core/protocol';
import { ApiError } from '../errors/api-error';
import { applyBeforeSend } from '../moderation/before-send';
import {
  deleteMessage as storeDelete,
  editMessage as storeEdit,
  listVersions,
  messageNotFound,
  type MessageRef,
} from '../store/message-lifecycle';
import { setReaction } from '../store/reactions';
import { checkMetadata } from './metadata';
import { presentMessages } from './present';
import { conversationIdOf, userOf } from './conversation-id';
import { type Actor, defineOperation } from './types';

const MESSAGE_PATH = '/conversations/:id/messages/:messageId';

/** Message ids are UUIDs: anything else cannot exist, so it is a 404 like an unknown one. */
function refOf(actor: Actor, input: { conversationId: string; messageId: string }): MessageRef {
  const conversationId = conversationIdOf(input.conversationId);
  if (!idSchema.safeParse(input.messageId).success) throw messageNotFound(input.messageId);
  // The system actor moderates: it may delete any message without taking part (moderation).
  const moderator = actor.kind === 'system';
  return { conversationId, messageId: input.messageId.toLowerCase(), userId: userOf(actor).id, ...(moderator ? { moderator } : {}) };
}

/** `PATCH /conversations/:id/messages/:messageId`: the author edits the body (host policy permitting). */
export const editMessage = defineOperation({
  name: 'editMessage',
  summary: "Edit the body of one's own message; the old body is kept as a version",
  input: editMessageInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: {
    method: 'PATCH',
    path: MESSAGE_PATH,
    params: { id: 'conversationId' },
    input: 'json',
    response: messageResponseSchema,
    errors: ['not_found', 'forbidden', 'conflict', 'unprocessable', 'rate_limited'],
  },
  async run(ctx, actor, input): Promise<MessageResponse> {
    const ref = refOf(actor, input);
    // The host may lower the protocol's limit (`limits.messageLength`), as for a send.
    const max = ctx.state.limits.messageLength;
    if (input.body.length > max) {
      throw new ApiError('validation_failed', `invalid input; body: messages are at most ${max} characters`, {
        details: [{ path: 'body', message: `messages are at most ${max} characters` }],
      });
    }
    const body = applyBeforeSend(
      ctx.state.moderation?.beforeSend,
      { kind: 'edit', conversationId: ref.conversationId, senderId: ref.userId, body: input.body, via: ctx.via },
      max,
    );
    const metadata = checkMetadata(ctx.state.metadata, 'message', input.metadata);
    const { message } = await storeEdit(ctx.state.store, ref, { body, metadata }, ctx.state.messages.edit, ctx.meta);
    const [read] = await presentMessages(ctx.state, [message], ref.userId);
    return { message: read! };
  },
});

/** `DELETE /conversations/:id/messages/:messageId`: delete for everyone (soft: the row and its seq stay). */
export const deleteMessage = defineOperation({
  name: 'deleteMessage',
  summary: "Delete one's own message for everyone (the host as system: any message): body '', deletedAt set, seq kept",
  input: messageRefInputSchema,
  actors: ['user', 'host', 'system'],
  rateLimit: 'write',
  http: {
    method: 'DELETE',
    path: MESSAGE_PATH,
    params: { id: 'conversationId' },
    input: 'none',
    response: messageResponseSchema,
    errors: ['not_found', 'forbidden', 'rate_limited'],
  },
  async run(ctx, actor, input): Promise<MessageResponse> {
    return storeDelete(ctx.state.store, refOf(actor, input), ctx.meta);
  },
});

/** `GET /conversations/:id/messages/:messageId/versions`: every body the message had, oldest first. */
export const listMessageVersions = defineOperation({
  name: 'listMessageVersions',
  summary: 'Every version of a message, oldest first (the current one last); none once deleted',
  input: messageRefInputSchema,
  actors: ['user', 'host'],
  http: {
    method: 'GET',
    path: `${MESSAGE_PATH}/versions`,
    params: { id: 'conversationId' },
    input: 'none',
    response: messageVersionsResponseSchema,
    errors: ['not_found'],
  },
  async run(ctx, actor, input): Promise<MessageVersionsResponse> {
    return { versions: await listVersions(ctx.state.store, refOf(actor, input)) };
  },
});

const reactionHttp = (method: 'PUT' | 'DELETE') => ({
  method,
  path: `${MESSAGE_PATH}/reactions/:emoji`,
  params: { id: 'conversationId' },
  input: 'none' as const,
  response: reactionsResponseSchema,
  errors: ['not_found', 'conflict', 'unprocessable', 'rate_limited'],
});

/** `PUT …/messages/:messageId/reactions/:emoji`: react (one of each emoji per user; a repeat changes nothing). */
export const addReaction = defineOperation({
  name: 'addReaction',
  summary: 'React to a message with an emoji (URL-encoded in the path); answers the reactions after it',
  input: reactionInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: reactionHttp('PUT'),
  async run(ctx, actor, input): Promise<ReactionsResponse> {
    return setReaction(ctx.state.store, refOf(actor, input), input.emoji, true, ctx.meta);
  },
});

/** `DELETE …/messages/:messageId/reactions/:emoji`: take one's reaction back. */
export const removeReaction = defineOperation({
  name: 'removeReaction',
  summary: "Remove one's emoji from a message; answers the reactions after it",
  input: reactionInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: reactionHttp('DELETE'),
  async run(ctx, actor, input): Promise<ReactionsResponse> {
    return setReaction(ctx.state.store, refOf(actor, input), input.emoji, false, ctx.meta);
  },
});
