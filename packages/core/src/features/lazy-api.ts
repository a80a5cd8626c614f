import type { Conversation } from '../protocol/schemas';
import type { ClientContext } from './context';
/**
 * An API object whose methods load their implementation on first call (a dynamic import), so a
 * feature most clients never use costs only these few bytes up front.
 *
 * @example
 * const moderation = lazyApi(() => import('./moderation').then((m) => m.createModeration(ctx, insert)), ['block', 'mute']);
 */
export function lazyApi<T extends object>(load: () => Promise<T>, names: (keyof T)[]): T {
  let loaded: Promise<T> | undefined;
  const api = {} as Record<keyof T, unknown>;
  for (const name of names) {
    api[name] = async (...args: unknown[]) => {
      // A failed load (offline) is tried again on the next call.
      loaded ??= load().catch((error) => {
        loaded = undefined;
        throw error;
      });
      return ((await loaded)[name] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return api as T;
}

/** `client.conversations`' group calls (features/groups.ts), loaded on first use. */
export const lazyGroups = (ctx: ClientContext, insert: (conversation: Conversation) => Conversation) =>
  lazyApi(() => import('./groups').then((m) => m.createGroups(ctx, insert)), ['rename', 'addParticipants', 'removeParticipant']);

/** `client.moderation` (features/moderation.ts), loaded on first use. */
export const lazyModeration = (ctx: ClientContext, insert: (conversation: Conversation) => Conversation) =>
  lazyApi(
    () => import('./moderation').then((m) => m.createModeration(ctx, insert)),
    ['block', 'unblock', 'blocks', 'mute', 'unmute', 'report'],
  );

/** `client.messages`' thread pages, pin lists and versions (features/threads.ts), loaded on first use. */
export const lazyThreads = (ctx: ClientContext) =>
  lazyApi(() => import('./threads').then((m) => m.createThreads(ctx)), ['loadThread', 'pins', 'versions']);

/**
 * `client.messages`' edits, deletes, reactions and pins (features/message-lifecycle.ts): their code
 * loads with the first one, or the first event of one, or a restore of changes queued offline.
 */
export const lazyLifecycle = (ctx: ClientContext) =>
  lazyApi(() => import('./message-lifecycle').then((m) => m.createLifecycle(ctx)), ['edit', 'delete', 'toggleReaction', 'pin', 'unpin']);
