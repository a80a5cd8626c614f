import { idSchema } from '@banter/core/protocol';
import { conversationNotFound } from '../store/conversations';
import type { Actor, UserActor } from './types';

/** Conversation ids are UUIDs: anything else cannot exist, so it is a 404 like an unknown one. */
export function conversationIdOf(id: string): string {
  if (!idSchema.safeParse(id).success) throw conversationNotFound(id);
  return id.toLowerCase();
}

/** The user an operation acts for; `invokeOperation` has already refused the kinds it does not allow. */
export function userOf(actor: Actor): UserActor {
  if (actor.kind === 'public') throw new TypeError('banter: this operation needs a user actor');
  return actor;
}
