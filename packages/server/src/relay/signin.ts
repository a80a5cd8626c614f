import { CLOSE } from './codes';
import { errorFrame, signinSuccess } from './frames';
import type { Hub } from './hub';
import { exceedsBytes, MAX_USER_DATA_BYTES, MAX_WATCHLIST, USER_ID } from './limits';
import type { RelaySocket } from './relay-socket';
import { hmacHex, safeEqual } from './signatures';

/**
 * `pusher:signin {auth, user_data}`: the host's backend signed `<socket_id>::user::<user_data>`
 * (the `pusher` SDK's `authenticateUser`). A refused sign-in closes the connection with 4009, as
 * Pusher does: pusher-js does not reconnect into the same refusal.
 */
export function createSignin(hub: Hub) {
  return function signin(s: RelaySocket, data: unknown): void {
    const { auth, user_data: userData } = (data ?? {}) as { auth?: unknown; user_data?: unknown };
    const refuse = (message: string) => {
      hub.counters.refusedSignins++;
      hub.send(s, errorFrame(CLOSE.unauthorized, message));
      s.close(CLOSE.unauthorized, message.slice(0, 120));
    };
    if (typeof auth !== 'string' || typeof userData !== 'string') return refuse('pusher:signin needs auth and user_data strings');
    if (exceedsBytes(userData, MAX_USER_DATA_BYTES)) return refuse(`user_data is over ${MAX_USER_DATA_BYTES} bytes`);
    const app = s.app!.app;
    if (!safeEqual(auth, `${app.key}:${hmacHex(app.secret, `${s.socketId}::user::${userData}`)}`)) {
      return refuse('Invalid signature for pusher:signin');
    }
    let user: { id?: unknown; watchlist?: unknown };
    try {
      user = JSON.parse(userData) as typeof user;
    } catch {
      return refuse('user_data is not JSON');
    }
    if (typeof user?.id !== 'string' || !USER_ID.test(user.id)) {
      return refuse('user_data needs an id of 1-148 characters of [A-Za-z0-9_-=@,.;]');
    }
    const watchlist = user.watchlist ?? [];
    if (
      !Array.isArray(watchlist) ||
      watchlist.length > MAX_WATCHLIST ||
      !watchlist.every((id) => typeof id === 'string' && USER_ID.test(id))
    ) {
      return refuse(`watchlist must be at most ${MAX_WATCHLIST} user ids`);
    }
    hub.activate(s);
    hub.send(s, signinSuccess(userData));
    hub.users.signIn(s, user.id, watchlist as string[]);
  };
}
