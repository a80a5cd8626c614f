import { selectOnline, selectTyping } from '@banter/core';
import { useCallback } from 'react';
import { useChatClient } from './context';
import { shallowEqual, useChatSelector } from './use-chat-selector';

export interface TypingResult {
  /** Ids of the other users typing now (each expires a few seconds after their last keystroke). */
  typing: string[];
  /** Tell the others you are typing: call it on every keystroke (throttled to one event per 3 s). */
  notifyTyping(): void;
}

/**
 * Who is typing in the active conversation (see `useMessages`), and the function to say you are.
 *
 * @example
 * const { typing, notifyTyping } = useTyping(id);
 * <input onInput={notifyTyping} />
 * {typing.length > 0 && <small>{typing.join(', ')} typing…</small>}
 */
export function useTyping(conversationId: string): TypingResult {
  const client = useChatClient();
  const typing = useChatSelector((state) => {
    const ids = selectTyping(state, conversationId);
    const me = state.me?.id;
    return ids.includes(me as string) ? ids.filter((id) => id !== me) : ids;
  }, shallowEqual);
  const notifyTyping = useCallback(() => client?.typing(conversationId), [client, conversationId]);
  return { typing, notifyTyping };
}

/**
 * Ids of the users on the active conversation's presence channel (you included), live.
 *
 * @example
 * const online = usePresence(id);
 * <span>{online.includes(peerId) ? 'online' : 'away'}</span>
 */
export function usePresence(conversationId: string): string[] {
  return useChatSelector((state) => selectOnline(state, conversationId));
}
