import { createHmac } from 'node:crypto';

export interface ChannelAuth {
  /** `<key>:<hex HMAC-SHA256>`, what pusher-js sends in pusher:subscribe. */
  auth: string;
  /** Presence channels: the exact JSON string that was signed. */
  channel_data?: string;
}

/**
 * Signs a pusher-js channel authorization: private channels over `<socket_id>:<channel>`,
 * presence channels over `<socket_id>:<channel>:<channel_data>`. The answer is the JSON body
 * pusher-js expects from its authorization endpoint.
 *
 * @example
 * signChannelAuth({ key, secret }, '1234.1234', 'private-user.42');
 * // -> { auth: 'key:58df8b0c...' }
 * signChannelAuth({ key, secret }, '1234.1234', 'presence-conversation.7', { user_id: '42', user_info: { name: 'Ann' } });
 * // -> { auth: 'key:afaed369...', channel_data: '{"user_id":"42","user_info":{"name":"Ann"}}' }
 */
export function signChannelAuth(
  app: { key: string; secret: string },
  socketId: string,
  channel: string,
  channelData?: string | { user_id: string | number; user_info?: unknown },
): ChannelAuth {
  if (channel.startsWith('presence-')) {
    if (channelData === undefined) throw new TypeError(`presence channel ${channel} needs channel_data with a user_id`);
    // A string is signed as is: the relay checks the exact bytes the client will send back.
    const data = typeof channelData === 'string' ? channelData : JSON.stringify(channelData);
    return { auth: `${app.key}:${hmac(app.secret, `${socketId}:${channel}:${data}`)}`, channel_data: data };
  }
  return { auth: `${app.key}:${hmac(app.secret, `${socketId}:${channel}`)}` };
}

/**
 * Signs a pusher-js user sign-in (`pusher.signin()`), over `<socket_id>::user::<user_data>`.
 *
 * @example
 * signUserAuth({ key, secret }, '1234.1234', { id: '42' });
 * // -> { auth: 'key:...', user_data: '{"id":"42"}' }
 */
export function signUserAuth(
  app: { key: string; secret: string },
  socketId: string,
  userData: string | { id: string; [field: string]: unknown },
): { auth: string; user_data: string } {
  const data = typeof userData === 'string' ? userData : JSON.stringify(userData);
  return { auth: `${app.key}:${hmac(app.secret, `${socketId}::user::${data}`)}`, user_data: data };
}

function hmac(secret: string, data: string): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}
