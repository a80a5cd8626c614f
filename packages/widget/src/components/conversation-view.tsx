import { type LocalMessage, selectOnline } from '@banter/core';
import { useEffect, useState } from 'preact/hooks';
import { useWidget, WidgetContext } from '../context';
import { loadPeople, loadReplies } from '../lazy/chunks';
import { useChunk } from '../lazy/use-chunk';
import { displayName } from '../format';
import { useStore } from '../use-store';
import { Avatar } from './avatar';
import { Composer } from './composer';
import { ConnectionBanner } from './connection-banner';
import { conversationTitle, others } from './conversation-title';
import { MessageList } from './message-list';
import { TypingIndicator } from './typing-indicator';

export interface ConversationViewProps {
  conversationId: string;
  /** Shows a back button (to the list) when given. */
  onBack?(): void;
  /** Shows a close button (popup) when given. */
  onClose?(): void;
  /** Move focus into the composer once it shows (the user opened this conversation). */
  focusComposer?: boolean;
}

/** One conversation: header, messages, typing indicator and composer. */
export function ConversationView({ conversationId, onBack, onClose, focusComposer }: ConversationViewProps) {
  const widget = useWidget();
  const { client, tr } = widget;
  // The message being quoted in the composer, and the thread open in the panel (its root's id).
  const [reply, setReply] = useState<LocalMessage | null>(null);
  const [thread, setThread] = useState<string | null>(null);
  const replies = useChunk(loadReplies, !!thread).module;
  const state = useStore(client.store);
  const conv = state.conversations[conversationId];
  const [sentTick, setSentTick] = useState(0);
  const [failed, setFailed] = useState(false);
  // A group's admins edit it (rename, add, remove) in the lazy people chunk.
  const [editing, setEditing] = useState(false);
  const people = useChunk(loadPeople, editing).module;

  useEffect(() => {
    let live = true;
    const load = async () => {
      if (!client.store.getSnapshot().conversations[conversationId]) await client.conversations.get(conversationId);
      await client.messages.load(conversationId);
    };
    load().catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [conversationId]);

  const title = conv ? conversationTitle(conv.conversation, state.me?.id, tr) : '';
  const other = conv && conv.conversation.kind === 'direct' ? others(conv.conversation, state.me?.id)[0]?.user : undefined;
  const online = !!other && selectOnline(state, conversationId).includes(other.id);
  const admin =
    conv?.conversation.kind === 'group' && conv.conversation.participants.some((p) => p.user.id === state.me?.id && p.role === 'admin');

  // A plain container, not a region: two widgets on one page would repeat its name as a landmark.
  // The message actions' Reply and Reply in thread land here (context.ts).
  return (
    <WidgetContext.Provider value={{ ...widget, startReply: setReply, openThread: (m) => setThread(m.threadId ?? m.id) }}>
      <div class="view-pane">
        <header>
          {onBack && (
            <button type="button" class="icon" onClick={onBack} aria-label={tr.t('back')}>
              ‹
            </button>
          )}
          {conv && (
            <Avatar
              id={other?.id ?? conversationId}
              name={other ? displayName(other) : title}
              url={other?.avatarUrl}
              small
              online={online}
            />
          )}
          <h2 dir="auto">{title}</h2>
          {admin && (
            <button type="button" class="icon" onClick={() => setEditing(!editing)} aria-label={tr.t('editGroup')} aria-expanded={editing}>
              ✎
            </button>
          )}
          {onClose && (
            <button type="button" class="icon" onClick={onClose} aria-label={tr.t('closeChat')}>
              ×
            </button>
          )}
        </header>
        <ConnectionBanner />
        {conv && editing && people ? (
          <people.GroupEditor conversation={conv.conversation} meId={state.me?.id} onClose={() => setEditing(false)} />
        ) : conv && thread && replies ? (
          <replies.ThreadPanel conversationId={conversationId} rootId={thread} Composer={Composer} onClose={() => setThread(null)} />
        ) : conv ? (
          <>
            <MessageList conv={conv} state={state} sentTick={sentTick} />
            <TypingIndicator state={conv} me={state.me} />
            {conv.conversation.blocked ? (
              // Blocked either way: the server refuses sends, so offer none (docs/moderation.md).
              <p class="empty" role="status">
                {tr.t('blockedNotice')}
              </p>
            ) : (
              <Composer
                conversationId={conversationId}
                onSent={() => (setSentTick((n) => n + 1), setReply(null))}
                autoFocus={focusComposer}
                replyTo={reply}
                onCancelReply={() => setReply(null)}
              />
            )}
          </>
        ) : (
          <p class="empty" role="status">
            {failed ? tr.t('errorLoading') : tr.t('loading')}
          </p>
        )}
      </div>
    </WidgetContext.Provider>
  );
}
