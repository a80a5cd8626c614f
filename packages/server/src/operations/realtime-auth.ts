import { channelAuthResponseSchema } from '@banter/core/protocol';
import { CONVERSATION_CHANNEL_PREFIX, idSchema, realtimeAuthBodySchema, USER_CHANNEL_PREFIX } from '@banter/core/protocol';
import { ApiError } from '../errors/api-error';
import { signChannelAuth } from '../realtime/sign-channel-auth';
import { isParticipant } from '../store/conversations';
import { getUser } from '../store/users';
import { userOf } from './conversation-id';
import { requireBroadcaster } from './status';
import { defineOperation } from './types';

/** Presence user_info must stay within 1 KB (Pusher's limit): a long avatar URL is left out. */
const MAX_USER_INFO_BYTES = 1000;

/**
 * `POST /realtime/auth`: pusher-js channel authorization. One's own `private-user.<id>`, and the
 * presence channel of a conversation one takes part in; nothing else.
 */
export const authorizeChannel = defineOperation({
  name: 'authorizeChannel',
  summary: "Sign a pusher-js channel subscription: one's own user channel, or a conversation's presence channel",
  input: realtimeAuthBodySchema,
  actors: ['user'],
  rateLimit: 'write',
  http: {
    method: 'POST',
    path: '/realtime/auth',
    input: 'form',
    errors: ['forbidden', 'unavailable', 'rate_limited'],
    response: channelAuthResponseSchema,
  },
  async run(ctx, actor, input): Promise<{ auth: string; channel_data?: string }> {
    const user = userOf(actor);
    const broadcaster = requireBroadcaster(ctx.state);
    const channel = input.channel_name;
    if (channel.startsWith(USER_CHANNEL_PREFIX)) {
      // Only one's own private channel: events there are addressed to that user alone.
      if (channel !== `${USER_CHANNEL_PREFIX}${user.id}`) throw forbidden(channel);
      return signChannelAuth(broadcaster.app, input.socket_id, channel);
    }
    if (channel.startsWith(CONVERSATION_CHANNEL_PREFIX)) {
      const id = channel.slice(CONVERSATION_CHANNEL_PREFIX.length);
      if (!idSchema.safeParse(id).success) throw forbidden(channel);
      if (!(await isParticipant(ctx.state.database.kysely, id.toLowerCase(), user.id))) throw forbidden(channel);
      const stored = await getUser(ctx.state.database.kysely, user.id);
      const channelData = presenceChannelData(user.id, stored?.name ?? null, stored?.avatarUrl ?? null);
      return signChannelAuth(broadcaster.app, input.socket_id, channel, channelData);
    }
    throw forbidden(channel);
  },
});

function presenceChannelData(userId: string, name: string | null, avatarUrl: string | null): string {
  const data = JSON.stringify({ user_id: userId, user_info: { name, avatarUrl } });
  if (Buffer.byteLength(data) <= MAX_USER_INFO_BYTES) return data;
  return JSON.stringify({ user_id: userId, user_info: { name, avatarUrl: null } });
}

function forbidden(channel: string): ApiError {
  return new ApiError('forbidden', `not allowed to subscribe to ${channel}`);
}
