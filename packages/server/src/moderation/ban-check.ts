import { CONVERSATION_CHANNEL_PREFIX, idSchema } from '@banter/core/protocol';
import { ApiError } from '../errors/api-error';
import type { StoreContext } from '../store/context';
import { findBan } from './bans';

/** How long an answer is trusted: other instances see a new ban within this (this one at once). */
const TTL_MS = 2000;
const MAX_ENTRIES = 10_000;

/** The conversation an operation's input is about: `conversationId`, or a presence channel's id. */
export function conversationOfInput(input: unknown): string | null {
  if (typeof input !== 'object' || input === null) return null;
  const record = input as Record<string, unknown>;
  let id = typeof record.conversationId === 'string' ? record.conversationId : null;
  const channel = record.channel_name;
  if (id === null && typeof channel === 'string' && channel.startsWith(CONVERSATION_CHANNEL_PREFIX)) {
    id = channel.slice(CONVERSATION_CHANNEL_PREFIX.length);
  }
  // Not a UUID: the operation answers 404 itself.
  return id !== null && idSchema.safeParse(id).success ? id.toLowerCase() : null;
}

/**
 * Refuses a banned user's every operation (403 `forbidden`, `details.reason` `banned`): an app-wide
 * ban everywhere, a conversation ban in that conversation (and its presence channel). Answers are
 * cached briefly per user and conversation, so a request costs no extra query most of the time.
 */
export function createBanCheck(store: () => StoreContext) {
  const cache = new Map<string, { at: number; ban: { conversationId: string | null } | null }>();
  return {
    async check(userId: string, input: unknown): Promise<void> {
      const conversationId = conversationOfInput(input);
      const key = `${userId} ${conversationId ?? ''}`;
      let entry = cache.get(key);
      if (!entry || Date.now() - entry.at > TTL_MS) {
        entry = { at: Date.now(), ban: await findBan(store(), userId, conversationId) };
        cache.delete(key);
        cache.set(key, entry);
        if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
      }
      const ban = entry.ban;
      if (!ban) return;
      const where = ban.conversationId === null ? 'this app' : `conversation ${ban.conversationId}`;
      throw new ApiError('forbidden', `user ${userId} is banned from ${where}`, {
        details: { reason: 'banned', conversationId: ban.conversationId },
      });
    },
    /** A ban or unban here takes effect at once on this instance. */
    forget(userId: string): void {
      for (const key of cache.keys()) if (key.startsWith(`${userId} `)) cache.delete(key);
    },
  };
}
