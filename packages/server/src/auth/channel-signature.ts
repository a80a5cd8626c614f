import { createHmac } from 'node:crypto';

/**
 * The Pusher channel authorization string `key:signature`, the signature being hex HMAC-SHA256
 * with the app secret over `socket_id:channel` (private) or `socket_id:channel:channel_data` (presence).
 *
 * @example
 * ```ts
 * signChannel({ key, secret }, '1234.1234', 'private-user.alice'); // 'key:58df8b...'
 * ```
 */
export function signChannel(app: { key: string; secret: string }, socketId: string, channel: string, channelData?: string): string {
  const subject = channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
  return `${app.key}:${createHmac('sha256', app.secret).update(subject).digest('hex')}`;
}
