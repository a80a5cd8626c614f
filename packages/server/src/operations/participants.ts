import { conversationResponseSchema, removeParticipantResponseSchema } from '@banter/core/protocol';
import {
  addParticipantsInputSchema,
  type Conversation,
  type RemoveParticipantResponse,
  removeParticipantInputSchema,
  renameConversationInputSchema,
  userIdSchema,
} from '@banter/core/protocol';
import { ApiError } from '../errors/api-error';
import { addParticipants as storeAdd, removeParticipant as storeRemove, renameConversation as storeRename } from '../store/participants';
import { conversationIdOf, userOf } from './conversation-id';
import { checkMetadata } from './metadata';
import { defineOperation } from './types';

const PARTICIPANTS_PATH = '/conversations/:id/participants';

/** `POST /conversations/:id/participants`: an admin adds people to a group (members, caught up). */
export const addParticipants = defineOperation({
  name: 'addParticipants',
  summary: 'Add participants to a group (admins); those already in it are skipped; answers the conversation',
  input: addParticipantsInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: {
    method: 'POST',
    path: PARTICIPANTS_PATH,
    params: { id: 'conversationId' },
    input: 'json',
    response: conversationResponseSchema,
    body: (out: { conversation: Conversation }) => ({ conversation: out.conversation }),
    errors: ['not_found', 'forbidden', 'unprocessable', 'rate_limited'],
  },
  async run(ctx, actor, input): Promise<{ conversation: Conversation; added: string[] }> {
    return storeAdd(ctx.state.store, userOf(actor).id, conversationIdOf(input.conversationId), input.userIds, ctx.meta);
  },
});

/**
 * `DELETE /conversations/:id/participants/:userId`: leave (oneself) or, for an admin, remove someone.
 * The removed user's realtime connections are closed right after their `participant.removed` went
 * out (an outbox step), so they reconnect without the conversation's presence channel (its
 * authorization now refuses them).
 */
export const removeParticipant = defineOperation({
  name: 'removeParticipant',
  summary: 'Remove a participant from a group (admins), or leave it (your own user id)',
  input: removeParticipantInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: {
    method: 'DELETE',
    path: `${PARTICIPANTS_PATH}/:userId`,
    params: { id: 'conversationId' },
    input: 'none',
    response: removeParticipantResponseSchema,
    errors: ['not_found', 'forbidden', 'unprocessable', 'rate_limited'],
  },
  async run(ctx, actor, input): Promise<RemoveParticipantResponse> {
    const conversationId = conversationIdOf(input.conversationId);
    if (!userIdSchema.safeParse(input.userId).success) {
      throw new ApiError('not_found', `participant ${input.userId} not found in conversation ${conversationId}`);
    }
    // The answer does not wait for the outbox: it publishes participant.removed, then closes the
    // removed user's connections (the cursor is gone already: no more events, no reads).
    return storeRemove(ctx.state.store, userOf(actor).id, conversationId, input.userId, ctx.meta);
  },
});

/** `PATCH /conversations/:id { title?, metadata? }`: an admin renames a group or replaces its metadata. */
export const renameConversation = defineOperation({
  name: 'renameConversation',
  summary: 'Rename a group or replace its metadata (admins); answers the conversation',
  input: renameConversationInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: {
    method: 'PATCH',
    path: '/conversations/:id',
    params: { id: 'conversationId' },
    input: 'json',
    response: conversationResponseSchema,
    body: (conversation: Conversation) => ({ conversation }),
    errors: ['not_found', 'forbidden', 'unprocessable', 'rate_limited'],
  },
  async run(ctx, actor, input): Promise<Conversation> {
    if (input.title === undefined && input.metadata === undefined) {
      throw new ApiError('validation_failed', 'invalid input; title: give a title or metadata', {
        details: [{ path: 'title', message: 'give a title or metadata' }],
      });
    }
    const metadata = checkMetadata(ctx.state.metadata, 'conversation', input.metadata);
    const id = conversationIdOf(input.conversationId);
    return storeRename(ctx.state.store, userOf(actor).id, id, { title: input.title, metadata }, ctx.meta);
  },
});
