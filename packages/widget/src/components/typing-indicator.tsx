import type { ConversationState, User } from '@banter/core';
import { useWidget } from '../context';
import { displayName } from '../format';

export interface TypingIndicatorProps {
  state: ConversationState;
  me: User | null;
}

/** "Ann is typing…", "Ann and Bob are typing…", "Several people are typing…". */
export function TypingIndicator({ state, me }: TypingIndicatorProps) {
  const { tr } = useWidget();
  const ids = state.typing.filter((id) => id !== me?.id);
  const names = ids.map((id) => displayName(state.conversation.participants.find((p) => p.user.id === id)?.user, id));
  const text =
    names.length === 0 ? '' : names.length > 3 ? tr.t('typingMany') : tr.plural('typing', names.length, { names: tr.list(names) });
  return (
    <p class="typing" aria-hidden={text ? undefined : 'true'}>
      {text}
    </p>
  );
}
