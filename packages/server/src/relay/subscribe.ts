import { isCacheChannel } from './channel-cache';
import { ERROR } from './codes';
import { errorFrame, eventFrame, subscriptionError } from './frames';
import type { Hub } from './hub';
import { CHANNEL_NAME, exceedsBytes, SERVER_TO_USER } from './limits';
import type { RelaySocket } from './relay-socket';
import { hmacHex, safeEqual } from './signatures';

/** `pusher:subscribe` and `pusher:unsubscribe`: names, signatures, presence members, limits. */
export function createSubscriptions(hub: Hub) {
  const { limits } = hub;

  function subscribe(s: RelaySocket, data: unknown): void {
    const {
      channel: name,
      auth,
      channel_data: channelData,
    } = (data ?? {}) as {
      channel?: unknown;
      auth?: unknown;
      channel_data?: unknown;
    };
    const state = s.app!;
    const { settings } = state;
    if (typeof name === 'string' && name.startsWith(SERVER_TO_USER)) return serverToUser(s, name);
    if (typeof name !== 'string' || !CHANNEL_NAME.test(name) || name.length > settings.maxChannelNameLength) {
      hub.counters.refusedSubscriptions++;
      if (typeof name === 'string' && name.length <= 200) {
        return hub.send(s, subscriptionError(name, 'InvalidChannel', 'Invalid channel name', 400));
      }
      return hub.send(s, errorFrame(ERROR.invalidMessage, 'pusher:subscribe needs a valid channel name'));
    }
    const refuse = (type: string, error: string, status: number) => {
      hub.counters.refusedSubscriptions++;
      hub.send(s, subscriptionError(name, type, error, status));
    };
    const presence = name.startsWith('presence-');
    const signed = presence || name.startsWith('private-');
    const existing = s.channels?.has(name);
    if (!signed && !settings.publicChannels) {
      return refuse('AuthError', `Public channels are disabled for this app: use a private- or presence- channel`, 403);
    }
    if (!existing && (s.channels?.size ?? 0) >= settings.maxChannelsPerConnection) {
      return refuse('LimitReached', `At most ${settings.maxChannelsPerConnection} channels per connection`, 400);
    }
    if (signed) {
      if (typeof auth !== 'string') return refuse('AuthError', `Missing auth for ${name}`, 401);
      if (presence && typeof channelData !== 'string') {
        return refuse('AuthError', `Missing channel_data for ${name}`, 401);
      }
      // private-encrypted- channels are signed like private ones; the shared secret never reaches the relay.
      const text = presence ? `${s.socketId}:${name}:${channelData}` : `${s.socketId}:${name}`;
      if (!safeEqual(auth, `${state.app.key}:${hmacHex(state.app.secret, text)}`)) {
        return refuse('AuthError', `Invalid signature for ${name}`, 401);
      }
    }
    if (existing) {
      // Subscribing twice is harmless: confirm again, with the current members.
      return hub.send(s, succeeded(s, name));
    }
    if (hub.wouldOverflow(state, name)) {
      return refuse('LimitReached', 'The relay holds too many channels; try again later', 503);
    }
    if (!presence) {
      hub.join(s, name, null, null);
      hub.send(s, succeeded(s, name));
      return replayCache(s, name);
    }
    let member: { user_id?: unknown; user_info?: unknown };
    try {
      member = JSON.parse(channelData as string) as typeof member;
    } catch {
      return refuse('AuthError', 'channel_data is not JSON', 400);
    }
    const rawId = member?.user_id;
    if ((typeof rawId !== 'string' && typeof rawId !== 'number') || rawId === '') {
      return refuse('AuthError', 'channel_data needs a user_id', 400);
    }
    const userId = String(rawId);
    const info = member.user_info;
    if (info !== undefined && exceedsBytes(JSON.stringify(info), limits.maxUserInfoBytes)) {
      return refuse('LimitReached', `user_info is over ${limits.maxUserInfoBytes} bytes`, 413);
    }
    const current = state.channels.get(name)?.members;
    if (current && !current.has(userId) && current.size >= limits.maxPresenceMembers) {
      return refuse('LimitReached', `At most ${limits.maxPresenceMembers} members per presence channel`, 403);
    }
    const { channel, newMember } = hub.join(s, name, userId, info);
    hub.send(s, succeeded(s, name));
    if (newMember) {
      const added = JSON.stringify({ user_id: userId, user_info: info });
      hub.share(state, channel, 'pusher_internal:member_added', added, s);
    }
    replayCache(s, name);
  }

  /** Cache channels: the last event right after subscription_succeeded, or `pusher:cache_miss`. */
  function replayCache(s: RelaySocket, name: string): void {
    if (!isCacheChannel(name)) return;
    const state = s.app!;
    const frame = hub.cache.get(state, name);
    if (frame) return hub.send(s, frame);
    hub.send(s, eventFrame('pusher:cache_miss', name, '{}'));
    state.webhooks?.push(state.app, { name: 'cache_miss', channel: name });
  }

  /** pusher-js joins `#server-to-user-<id>` after signing in; only that user's sockets may. */
  function serverToUser(s: RelaySocket, name: string): void {
    if (s.userId === null || name !== SERVER_TO_USER + s.userId) {
      hub.counters.refusedSubscriptions++;
      return hub.send(s, subscriptionError(name.slice(0, 200), 'AuthError', 'Sign in as that user first (pusher:signin)', 403));
    }
    if (!s.channels?.has(name)) hub.join(s, name, null, null);
    hub.send(s, succeeded(s, name));
  }

  function unsubscribe(s: RelaySocket, data: unknown): void {
    const name = (data as { channel?: unknown } | null)?.channel;
    if (typeof name === 'string') hub.leave(s, name);
  }

  function succeeded(s: RelaySocket, name: string): Buffer {
    const members = s.app!.channels.get(name)?.members;
    if (!members) return eventFrame('pusher_internal:subscription_succeeded', name, '{}');
    const hash: Record<string, unknown> = {};
    for (const [id, member] of members) hash[id] = member.info ?? null;
    const data = JSON.stringify({ presence: { ids: [...members.keys()], hash, count: members.size } });
    return eventFrame('pusher_internal:subscription_succeeded', name, data);
  }

  return { subscribe, unsubscribe };
}
