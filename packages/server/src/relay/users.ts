import { CLOSE } from './codes';
import { errorFrame, watchlistFrame } from './frames';
import type { AppState, RelaySocket } from './relay-socket';

/**
 * Signed-in users (`pusher:signin`) of one relay: which sockets each user holds, who watches whom,
 * and the watchlist's online/offline events. The relay keeps no user data past the socket.
 */
export class Users {
  constructor(private readonly send: (s: RelaySocket, frame: Buffer | string) => void) {}

  /** Records the sign-in; tells the user's watchers on their first connection, and the socket who of its watchlist is online. */
  signIn(s: RelaySocket, userId: string, watchlist: readonly string[]): void {
    const state = s.app!;
    if (s.userId !== null) this.signOut(s);
    s.userId = userId;
    let sockets = state.users.get(userId);
    const first = !sockets;
    if (!sockets) state.users.set(userId, (sockets = new Set()));
    sockets.add(s);
    if (watchlist.length > 0) {
      s.watchlist = [...new Set(watchlist)];
      for (const id of s.watchlist) {
        let watchers = state.watchers.get(id);
        if (!watchers) state.watchers.set(id, (watchers = new Set()));
        watchers.add(s);
      }
      const online = s.watchlist.filter((id) => state.users.has(id));
      if (online.length > 0) this.send(s, watchlistFrame([{ name: 'online', user_ids: online }]));
    }
    if (first) this.notify(state, userId, 'online', s);
  }

  /** Undoes signIn(); on the user's last connection their watchers learn they went offline. */
  signOut(s: RelaySocket): void {
    const state = s.app!;
    const userId = s.userId;
    if (userId === null) return;
    s.userId = null;
    for (const id of s.watchlist ?? []) {
      const watchers = state.watchers.get(id);
      watchers?.delete(s);
      if (watchers?.size === 0) state.watchers.delete(id);
    }
    s.watchlist = null;
    const sockets = state.users.get(userId);
    sockets?.delete(s);
    if (sockets?.size === 0) {
      state.users.delete(userId);
      this.notify(state, userId, 'offline', null);
    }
  }

  /** Closes every connection of the user with 4009 (pusher-js does not reconnect); returns how many. */
  terminate(state: AppState, userId: string): number {
    const sockets = [...(state.users.get(userId) ?? [])];
    for (const s of sockets) {
      this.send(s, errorFrame(CLOSE.unauthorized, 'You got disconnected by the app'));
      s.close(CLOSE.unauthorized, 'Disconnected by the app');
    }
    return sockets.length;
  }

  private notify(state: AppState, userId: string, name: 'online' | 'offline', except: RelaySocket | null): void {
    const watchers = state.watchers.get(userId);
    if (!watchers) return;
    const frame = watchlistFrame([{ name, user_ids: [userId] }]);
    for (const w of watchers) if (w !== except) this.send(w, frame);
  }
}
