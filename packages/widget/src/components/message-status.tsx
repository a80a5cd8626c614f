import { selectReadBy, type ChatState, type ConversationState, type LocalMessage } from '@banter/core';
import { useWidget } from '../context';
import { displayName } from '../format';

export interface MessageStatusProps {
  message: LocalMessage;
  conv: ConversationState;
  state: ChatState;
  /**
   * Sent / Read: true under my latest read and my latest sent message, `sr` (visually hidden, for
   * screen readers) under my others, false for none. Sending… and Not sent always show.
   */
  receipt: boolean | 'sr';
}

/** Under my own messages: Sending…, Not sent + Retry, Sent, Read, or "Read by 2 of 3" in a group. */
export function MessageStatus({ message, conv, state, receipt }: MessageStatusProps) {
  const { client, tr } = useWidget();
  const { status } = message;
  if (status === 'failed') {
    return (
      <p class="status failed" role="alert">
        <span>{tr.t('failed')}</span>
        <button type="button" onClick={() => client.messages.retry(message.clientId)}>
          {tr.t('retry')}
        </button>
        <button type="button" onClick={() => client.messages.discard(message.clientId)}>
          {tr.t('discard')}
        </button>
      </p>
    );
  }
  const sending = status === 'sending';
  if (!receipt && !sending) return null;
  // The store marks my message read once anyone's cursor passes it.
  const read = status === 'read';
  const readers = read ? selectReadBy(state, conv.conversation.id, message.seq!) : [];
  // Everyone but me, the sender.
  const total = conv.conversation.participants.length - 1;
  const group = conv.conversation.kind === 'group' && total > 1;
  const text = tr.t(read ? (group ? 'readBy' : 'read') : status, { count: readers.length, total });
  if (read && group && receipt === true) {
    const tip = `bt-tip-${message.clientId}`;
    return (
      <p class="status">
        {/* A button so keyboard users can focus it and get the names, as hover shows them. */}
        <button type="button" class="receipt" aria-describedby={tip}>
          {text}
        </button>
        <span id={tip} class="tip" role="tooltip">
          {tr.t('readByNames', { names: tr.list(readers.map((u) => displayName(u))) })}
        </span>
      </p>
    );
  }
  return <p class={sending || receipt === true ? 'status' : 'sr'}>{text}</p>;
}
