import {
  blockResponseSchema,
  blocksResponseSchema,
  type BlocksResponse,
  blockInputSchema,
  listBlocksInputSchema,
  type MuteResponse,
  muteInputSchema,
  muteResponseSchema,
} from '@banter/core/protocol';
import { listBlocks as storeListBlocks, setBlock } from '../moderation/blocks';
import { setMuted } from '../moderation/mutes';
import { conversationIdOf, userOf } from './conversation-id';
import { defineOperation } from './types';

/** What every user does for themself (docs/moderation.md): blocks and mutes. */

const blockHttp = (method: 'PUT' | 'DELETE') => ({
  method,
  path: '/me/blocks/:userId',
  input: 'none' as const,
  errors: ['unprocessable', 'rate_limited'],
  response: blockResponseSchema,
});

/** `PUT /me/blocks/:userId`: no direct conversation and no direct messages between the two any more. */
export const blockUser = defineOperation({
  name: 'blockUser',
  summary: 'Block a user: no new direct conversation, no messages either way in the existing one (it reads blocked)',
  input: blockInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: blockHttp('PUT'),
  async run(ctx, actor, input): Promise<{ userId: string; blocked: boolean }> {
    return setBlock(ctx.state.store, userOf(actor).id, input.userId, true, ctx.meta);
  },
});

/** `DELETE /me/blocks/:userId`: lift one's block (the other's block of you, if any, stays). */
export const unblockUser = defineOperation({
  name: 'unblockUser',
  summary: 'Unblock a user (a block the other made stays); unblocking someone not blocked changes nothing',
  input: blockInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: blockHttp('DELETE'),
  async run(ctx, actor, input): Promise<{ userId: string; blocked: boolean }> {
    return setBlock(ctx.state.store, userOf(actor).id, input.userId, false, ctx.meta);
  },
});

/** `GET /me/blocks`: everyone the caller blocked, newest first. */
export const listBlocks = defineOperation({
  name: 'listBlocks',
  summary: 'The users the caller blocked, newest first (at most 1,000)',
  input: listBlocksInputSchema,
  actors: ['user', 'host'],
  http: { method: 'GET', path: '/me/blocks', input: 'none', response: blocksResponseSchema },
  async run(ctx, actor): Promise<BlocksResponse> {
    return { blocks: await storeListBlocks(ctx.state.store, userOf(actor).id) };
  },
});

const muteHttp = (method: 'PUT' | 'DELETE') => ({
  method,
  path: '/conversations/:id/mute',
  params: { id: 'conversationId' },
  input: 'none' as const,
  errors: ['not_found', 'rate_limited'],
  response: muteResponseSchema,
});

/** `PUT /conversations/:id/mute`: no unread badge, no notification for the caller. */
export const muteConversation = defineOperation({
  name: 'muteConversation',
  summary: 'Mute a conversation for the caller: it reads muted (no badge, no notification); unread still counts',
  input: muteInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: muteHttp('PUT'),
  async run(ctx, actor, input): Promise<MuteResponse> {
    return setMuted(ctx.state.store, userOf(actor).id, conversationIdOf(input.conversationId), true, ctx.meta);
  },
});

/** `DELETE /conversations/:id/mute`. */
export const unmuteConversation = defineOperation({
  name: 'unmuteConversation',
  summary: 'Unmute a conversation for the caller',
  input: muteInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: muteHttp('DELETE'),
  async run(ctx, actor, input): Promise<MuteResponse> {
    return setMuted(ctx.state.store, userOf(actor).id, conversationIdOf(input.conversationId), false, ctx.meta);
  },
});
