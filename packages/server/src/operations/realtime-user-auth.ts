import { userAuthResponseSchema } from '@banter/core/protocol';
import { realtimeUserAuthBodySchema } from '@banter/core/protocol';
import { ApiError } from '../errors/api-error';
import { signUserAuth } from '../realtime/sign-channel-auth';
import { getUser } from '../store/users';
import { userOf } from './conversation-id';
import { requireBroadcaster } from './status';
import { defineOperation } from './types';

/** user_data must stay within Pusher's 1 KB: a long name is cut, as presence user_info is. */
const MAX_NAME_CHARS = 200;

/**
 * `POST /realtime/user-auth`: pusher-js user authentication (`pusher.signin()`). Signs the caller
 * in as their Banter user (`user_data` `{ id, user_info: { name } }`), so the server can reach all
 * of their connections at once: `disconnectUser` closes them when the user is banned or erased.
 */
export const authenticateRealtimeUser = defineOperation({
  name: 'authenticateRealtimeUser',
  summary: 'Sign a pusher-js user sign-in (pusher:signin) as the calling Banter user',
  input: realtimeUserAuthBodySchema,
  actors: ['user'],
  rateLimit: 'write',
  http: {
    method: 'POST',
    path: '/realtime/user-auth',
    input: 'form',
    errors: ['unavailable', 'rate_limited'],
    response: userAuthResponseSchema,
  },
  async run(ctx, actor, input): Promise<{ auth: string; user_data: string }> {
    const user = userOf(actor);
    const broadcaster = requireBroadcaster(ctx.state);
    if (!broadcaster.disconnectUser) {
      throw new ApiError('unavailable', 'the realtime service of this server has no user authentication (pusher:signin)');
    }
    const stored = await getUser(ctx.state.database.kysely, user.id);
    const name = stored?.name ? stored.name.slice(0, MAX_NAME_CHARS) : null;
    return signUserAuth(broadcaster.app, input.socket_id, { id: user.id, user_info: { name } });
  },
});
