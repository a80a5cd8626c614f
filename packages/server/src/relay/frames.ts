/**
 * Outgoing frames, serialized by hand so a broadcast is JSON-encoded once, whatever its audience.
 * Server -> client `data` is always a JSON string, as Pusher sends it.
 */

export const TEXT = { binary: false } as const;

export const PONG = Buffer.from('{"event":"pusher:pong","data":"{}"}');

export function eventFrame(event: string, channel: string, data: string, userId?: string): Buffer {
  let s = `{"event":${JSON.stringify(event)},"channel":${JSON.stringify(channel)},"data":${JSON.stringify(data)}`;
  // pusher-js reads user_id from the envelope, next to data (client events on presence channels).
  if (userId !== undefined) s += `,"user_id":${JSON.stringify(userId)}`;
  return Buffer.from(s + '}');
}

export function errorFrame(code: number, message: string): string {
  return JSON.stringify({ event: 'pusher:error', data: { code, message } });
}

export function connectionEstablished(socketId: string, activityTimeout: number): string {
  return JSON.stringify({
    event: 'pusher:connection_established',
    data: JSON.stringify({ socket_id: socketId, activity_timeout: activityTimeout }),
  });
}

export function subscriptionError(channel: string, type: string, error: string, status: number): string {
  return JSON.stringify({
    event: 'pusher:subscription_error',
    channel,
    data: JSON.stringify({ type, error, status }),
  });
}

export function signinSuccess(userData: string): string {
  return JSON.stringify({ event: 'pusher:signin_success', data: JSON.stringify({ user_data: userData }) });
}

export function watchlistFrame(events: Array<{ name: 'online' | 'offline'; user_ids: string[] }>): string {
  return JSON.stringify({ event: 'pusher_internal:watchlist_events', data: JSON.stringify({ events }) });
}
