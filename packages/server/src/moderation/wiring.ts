import type { StoreContext } from '../store/context';
import { createBanCheck } from './ban-check';
import type { BeforeSend } from './before-send';

/** What the operations need of moderation (ServerState.moderation). */
export interface ModerationHooks {
  beforeSend?: BeforeSend;
  /** Throws 403 when the user is banned from the app, or from the conversation the input names. */
  checkUser(userId: string, input: unknown): Promise<void>;
  /** A ban changed: forget cached answers and end the user's live connections. */
  banChanged(userId: string, banned: boolean): void;
}

/**
 * Moderation's wiring for createChatServer: the host's `beforeSend` and the ban check.
 * The banUser operation ends an app-banned user's live connections (realtime/disconnect-user.ts).
 *
 * @example
 * ```ts
 * state.moderation = createModeration(options, () => store);
 * ```
 */
export function createModeration(
  options: { beforeSend?: BeforeSend; onBanned?: (userId: string) => void },
  store: () => StoreContext,
): ModerationHooks {
  if (options.beforeSend !== undefined && typeof options.beforeSend !== 'function') {
    throw new TypeError('banter: beforeSend must be a function');
  }
  const bans = createBanCheck(store);
  return {
    ...(options.beforeSend ? { beforeSend: options.beforeSend } : {}),
    checkUser: (userId, input) => bans.check(userId, input),
    banChanged(userId, banned) {
      bans.forget(userId);
      // Disconnecting live sockets is the realtime layer's job; tokens already get 403 everywhere.
      if (banned) options.onBanned?.(userId);
    },
  };
}
