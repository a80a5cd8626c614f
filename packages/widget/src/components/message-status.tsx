import { selectReadBy, type ChatState, type ConversationState, type LocalMessage } from '@banter/core';
import { useWidget } from '../context';
import { displayName } from '../format';

export interface MessageStatusProps {
  message: LocalMessage;
  conv: ConversationState;
  state: ChatState;
  /** Show Sent / Read (only under the last message of one of my groups). */
  showReceipt: boolean;
}

/** Under my own messages: Sending…, Not sent + Retry, Sent, Read, or "Read by 2 of 3" in a group. */
export function MessageStatus({ message, conv, state, showReceipt }: MessageStatusProps) {
  const { client, tr } = useWidget();
  if (message.status === 'sending') return <p class="status">{tr.t('sending')}</p>;
  if (message.status === 'failed') {
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
  if (!showReceipt || message.seq == null) return null;
  const readers = selectReadBy(state, conv.conversation.id, message.seq);
  const total = conv.conversation.participants.filter((p) => p.user.id !== message.senderId).length;
  if (conv.conversation.kind === 'group' && total > 1) {
    if (readers.length === 0) return <p class="status">{tr.t('sent')}</p>;
    const names = tr.t('readByNames', { names: tr.list(readers.map((u) => displayName(u))) });
    const tip = `bt-tip-${message.clientId}`;
    return (
      <p class="status">
        {/* A button so keyboard users can focus it and get the names, as hover shows them. */}
        <button type="button" class="receipt" aria-describedby={tip}>
          {tr.t('readBy', { count: readers.length, total })}
        </button>
        <span id={tip} class="tip" role="tooltip">
          {names}
        </span>
      </p>
    );
  }
  const read = message.status === 'read' || readers.length > 0;
  return <p class="status">{read ? tr.t('read') : tr.t('sent')}</p>;
}
