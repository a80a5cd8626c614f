import type { Conversation } from '@banter/core';
import { displayName } from '../format';
import type { Translator } from '../i18n';

/** The participants other than me (all of them when I am not known yet). */
export function others(conversation: Conversation, meId: string | undefined) {
  const rest = conversation.participants.filter((p) => p.user.id !== meId);
  return rest.length ? rest : conversation.participants;
}

/** The conversation's title, or the other participants' names. */
export function conversationTitle(conversation: Conversation, meId: string | undefined, tr: Translator): string {
  if (conversation.title) return conversation.title;
  const names = others(conversation, meId).map((p) => displayName(p.user));
  return names.length ? tr.list(names) : tr.t('untitled');
}
