import { upsertUserInputSchema, type User, userIdSchema } from '@banter/core/protocol';
import { z } from 'zod';
import { createUserToken as mintToken } from '../auth/tokens';
import { upsertUser as storeUpsert } from '../store/users';
import { defineOperation } from './types';

/** `chat.api.upsertUser`: the host syncs a user's name and avatar (no HTTP route: users come from the host). */
export const upsertUser = defineOperation({
  name: 'upsertUser',
  summary: "Create or update a user's profile; fields left undefined keep their stored value",
  input: upsertUserInputSchema,
  actors: ['system'],
  async run(ctx, _actor, input): Promise<User> {
    return storeUpsert(ctx.state.database.kysely, input);
  },
});

const createUserTokenInputSchema = z.strictObject({
  userId: userIdSchema,
  // A negative lifetime mints an expired token: tests of token refresh need one.
  expiresIn: z.union([z.number(), z.string().min(1).max(32)]),
  name: z.string().optional(),
  avatarUrl: z.string().optional(),
});

/** `chat.api.createUserToken`: mint a token for a user of the host (no database involved). */
export const createUserToken = defineOperation({
  name: 'createUserToken',
  summary: 'Mint an HS256 token for a user of the host app',
  input: createUserTokenInputSchema,
  actors: ['system'],
  database: false,
  async run(ctx, _actor, { userId, ...options }): Promise<string> {
    return mintToken(ctx.state.secret, userId, options);
  },
});
