import { BanterError } from './errors';
import type { PusherConstructor } from './types';

/**
 * Loads pusher-js, an optional peer dependency of @banter/core (the widget brings it; a bot with
 * `realtime: false` or a host passing `realtime.Pusher` never needs it). A missing pusher-js is an
 * `internal` BanterError that says what to install, not a network failure to retry.
 *
 * @example
 * const Pusher = await loadPusher();
 */
export async function loadPusher(load: () => Promise<unknown> = () => import('pusher-js')): Promise<PusherConstructor> {
  let mod: { default: PusherConstructor & { default?: PusherConstructor } };
  try {
    mod = (await load()) as typeof mod;
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (!message.includes('pusher-js')) throw error;
    throw new BanterError(
      'internal',
      'realtime needs pusher-js, which is not installed: npm install pusher-js, or pass realtime.Pusher (or realtime: false)',
      {
        cause: error,
      },
    );
  }
  // The CJS build of pusher-js arrives as { default: { default: Pusher } } under some bundlers.
  return mod.default.default ?? mod.default;
}
