import { meResponseSchema } from '@banter/core/protocol';
import type { MeResponse } from '@banter/core/protocol';
import { z } from 'zod';
import { getUser } from '../store/users';
import { userOf } from './conversation-id';
import { defineOperation } from './types';

/** `GET /me`: the signed-in user as stored (profile synced from the token claims) and the upload limits. */
export const getMe = defineOperation({
  name: 'getMe',
  summary: "The signed-in user, as stored (name and avatar synced from the token claims), and the server's upload limits",
  input: z.strictObject({}),
  actors: ['user', 'host'],
  http: { method: 'GET', path: '/me', input: 'none', response: meResponseSchema },
  async run(ctx, actor): Promise<MeResponse> {
    const user = await getUser(ctx.state.database.kysely, userOf(actor).id);
    const uploads = ctx.state.uploads.limits;
    return { user: user ?? { id: userOf(actor).id, name: null, avatarUrl: null }, uploads };
  },
});
