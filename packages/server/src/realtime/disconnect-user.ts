import type { Broadcaster } from './broadcaster';

/**
 * Closes every realtime connection of a user at once (a ban, an erasure): in process for the
 * embedded relay, `terminate_connections` over HTTP for a Pusher-protocol service. A service
 * without user authentication has nothing to close: false. A failure is the caller's to log; the
 * user's token is refused from then on anyway.
 *
 * @example
 * await disconnectUser(ctx.state.broadcaster, userId);
 */
export async function disconnectUser(broadcaster: Pick<Broadcaster, 'disconnectUser'> | undefined, userId: string): Promise<boolean> {
  if (!broadcaster?.disconnectUser) return false;
  await broadcaster.disconnectUser(userId);
  return true;
}
