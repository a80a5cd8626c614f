import { selectConversationList } from '@banter/core';
import { useWidget } from '../context';
import { displayName, formatListTime } from '../format';
import { useStore } from '../use-store';
import { Avatar } from './avatar';
import { conversationTitle, others } from './conversation-title';

export interface ConversationListProps {
  activeId: string | null;
  onSelect(id: string): void;
}

/** Every conversation, latest activity first, with a preview and the unread count. */
export function ConversationList({ activeId, onSelect }: ConversationListProps) {
  const { client, tr } = useWidget();
  const state = useStore(client.store);
  const meId = state.me?.id;
  const list = selectConversationList(state);
  return (
    <nav class="list-pane" aria-label={tr.t('conversations')}>
      <header>
        <h2>{tr.t('conversations')}</h2>
      </header>
      {list.length === 0 ? (
        <p class="empty">{tr.t('noConversations')}</p>
      ) : (
        <ul class="convs">
          {list.map(({ conversation: c }) => {
            const title = conversationTitle(c, meId, tr);
            const other = others(c, meId)[0]?.user;
            const last = c.lastMessage;
            const preview = last ? (last.senderId === meId ? tr.t('youPrefix') : '') + last.body.replace(/\s+/g, ' ') : '';
            const unread = c.unreadCount;
            return (
              <li key={c.id}>
                <button
                  type="button"
                  class={`conv${unread ? ' unread' : ''}`}
                  aria-current={c.id === activeId ? 'true' : undefined}
                  onClick={() => onSelect(c.id)}
                >
                  <Avatar id={c.kind === 'group' || !other ? c.id : other.id} name={c.kind === 'group' || !other ? title : displayName(other)} url={c.kind === 'group' ? null : other?.avatarUrl} />
                  <span class="conv-main">
                    <span class="conv-top">
                      <span class="conv-name">{title}</span>
                      {c.lastMessageAt && <span class="conv-time">{formatListTime(c.lastMessageAt, tr.locale)}</span>}
                    </span>
                    <span class="conv-preview">
                      <span>{preview}</span>
                      {unread > 0 && (
                        <>
                          <span class="count" aria-hidden="true">
                            {unread > 99 ? '99+' : unread}
                          </span>
                          <span class="sr">{tr.plural('unreadBadge', unread)}</span>
                        </>
                      )}
                    </span>
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {state.listHasMore && (
        <button type="button" class="more" onClick={() => void client.conversations.loadMore().catch(() => {})}>
          {tr.t('loadMoreConversations')}
        </button>
      )}
    </nav>
  );
}
