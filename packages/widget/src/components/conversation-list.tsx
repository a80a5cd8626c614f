import { selectConversationList, selectOnline } from '@banter/core';
import { useEffect, useRef, useState } from 'preact/hooks';
import { loadNotifications, loadPeople, loadSearchResults } from '../lazy/chunks';
import { useChunk } from '../lazy/use-chunk';
import { useWidget } from '../context';
import { displayName, formatListTime } from '../format';
import { useStore } from '../use-store';
import { Avatar } from './avatar';
import { conversationTitle, others } from './conversation-title';

export interface ConversationListProps {
  activeId: string | null;
  onSelect(id: string): void;
  /** Popup mode: a close button in the header (on a phone the launcher is hidden while open). */
  onClose?(): void;
  /** Focus this conversation's row when the list shows (back from it). */
  focusId?: string;
  /** The navigation landmark's name (unique per widget). */
  label: string;
}

/** Every conversation, latest activity first, with a preview and the unread count. */
export function ConversationList({ activeId, onSelect, onClose, focusId, label }: ConversationListProps) {
  const { client, tr, notifications } = useWidget();
  const state = useStore(client.store);
  // The notifications switch (the chunk App loaded with the option).
  const notify = useChunk(loadNotifications, !!notifications).module;
  const meId = state.me?.id;
  const list = selectConversationList(state);
  const ref = useRef<HTMLElement>(null);
  // Message search: the results UI is a lazy chunk, loaded when the user first types.
  const [q, setQ] = useState('');
  const searching = q.trim().length > 0;
  const results = useChunk(loadSearchResults, searching).module;
  // "New message": people search and starting a conversation, a lazy chunk loaded on first click.
  const [composing, setComposing] = useState(false);
  const people = useChunk(loadPeople, composing).module;
  const compose = (
    <button type="button" class="more" onClick={() => setComposing(true)} aria-haspopup="dialog">
      {tr.t('newMessage')}
    </button>
  );
  useEffect(() => {
    if (!focusId) return;
    const rows = ref.current?.querySelectorAll<HTMLElement>('[data-conv]') ?? [];
    [...rows].find((row) => row.dataset.conv === focusId)?.focus();
  }, []);
  if (composing && people) {
    return (
      <nav class="list-pane" aria-label={label}>
        <people.NewMessage
          onStart={(id) => {
            setComposing(false);
            onSelect(id);
          }}
          onClose={() => {
            setComposing(false);
            setTimeout(() => (ref.current?.querySelector('[aria-haspopup]') as HTMLElement | null)?.focus());
          }}
        />
      </nav>
    );
  }
  return (
    <nav ref={ref} class="list-pane" aria-label={label}>
      <header>
        <h2>{tr.t('conversations')}</h2>
        {list.length > 0 && compose}
        {notifications && notify && <notify.NotifyToggle />}
        {onClose && (
          <button type="button" class="icon" onClick={onClose} aria-label={tr.t('closeChat')}>
            ×
          </button>
        )}
      </header>
      <input
        type="search"
        class="search"
        value={q}
        maxLength={200}
        placeholder={tr.t('searchMessages')}
        aria-label={tr.t('searchMessages')}
        onInput={(e) => setQ((e.target as HTMLInputElement).value)}
      />
      {searching ? (
        results && <results.SearchResults q={q.trim()} onOpen={onSelect} />
      ) : list.length === 0 ? (
        // Not a dead end: the one thing to do here is to start a conversation.
        <p class="empty">
          {tr.t('noConversations')} {compose}
        </p>
      ) : (
        <ul class="convs">
          {list.map(({ conversation: c }) => {
            const title = conversationTitle(c, meId, tr);
            const other = others(c, meId)[0]?.user;
            const last = c.lastMessage;
            // Who said it: "You: ", and in a group the sender's name.
            const sender = last && c.kind === 'group' ? c.participants.find((p) => p.user.id === last.senderId)?.user : undefined;
            const by = !last ? '' : last.senderId === meId ? tr.t('youPrefix') : sender ? `${displayName(sender)}: ` : '';
            const preview = last ? last.body.replace(/\s+/g, ' ') : '';
            const online = c.kind === 'direct' && !!other && selectOnline(state, c.id).includes(other.id);
            const unread = c.unreadCount;
            return (
              <li key={c.id}>
                <button
                  type="button"
                  class={`conv${unread ? ' unread' : ''}`}
                  data-conv={c.id}
                  aria-current={c.id === activeId ? 'true' : undefined}
                  onClick={() => onSelect(c.id)}
                >
                  <Avatar
                    id={c.kind === 'group' || !other ? c.id : other.id}
                    name={c.kind === 'group' || !other ? title : displayName(other)}
                    url={c.kind === 'group' ? null : other?.avatarUrl}
                    online={online}
                  />
                  <span class="conv-main">
                    <span class="conv-top">
                      <span class="conv-name" dir="auto">
                        {title}
                      </span>
                      {c.lastMessageAt && <span class="conv-time">{formatListTime(c.lastMessageAt, tr.locale)}</span>}
                    </span>
                    <span class="conv-preview">
                      <span>
                        {by}
                        {/* Its own direction: an Arabic or Hebrew body after "You: " still reads right to left. */}
                        <span dir="auto">{preview}</span>
                      </span>
                      {c.muted ? (
                        // Muted: no badge (its unread still counts in the list's bold row).
                        <span class="sr">{tr.t('muted')}</span>
                      ) : (
                        unread > 0 && (
                          <>
                            <span class="count" aria-hidden="true">
                              {unread > 99 ? '99+' : unread}
                            </span>
                            <span class="sr">{tr.plural('unreadBadge', unread)}</span>
                          </>
                        )
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
