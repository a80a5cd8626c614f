import type { LocalMessage } from '@banter/core';
import type { ComponentChildren, FunctionComponent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useWidget } from '../context';
import { jumpTo } from './quote';
import { nameOf, repliesSayer } from './say';

/** What the thread panel needs of widget.js's composer (passed in: a chunk cannot import it). */
export interface ThreadComposerProps {
  conversationId: string;
  threadId: string;
  showInChannel: boolean;
  autoFocus?: boolean;
  children?: ComponentChildren;
}

export interface ThreadPanelProps {
  conversationId: string;
  rootId: string;
  Composer: FunctionComponent<ThreadComposerProps>;
  onClose(): void;
}

/**
 * A thread: its root on top, the replies paged upwards, and a composer of its own that sends with
 * `threadId` (and `showInChannel` when "Also send to conversation" is ticked). Escape or × closes
 * it, and the focus goes back to the root in the list (else to the conversation's composer).
 */
export function ThreadPanel({ conversationId, rootId, Composer, onClose }: ThreadPanelProps) {
  const widget = useWidget();
  const { client, tr } = widget;
  const { say } = repliesSayer(widget);
  // useState, not widget.js's useStore: chunks get only the hooks shared-names.ts lists.
  const [state, setState] = useState(client.store.getSnapshot);
  useEffect(() => client.store.subscribe(() => setState(client.store.getSnapshot())), []);
  const conv = state.conversations[conversationId];
  const thread = state.threads?.[rootId];
  const root = thread?.root ?? conv?.messages.find((m) => m.id === rootId);
  const [also, setAlso] = useState(false);
  const [failed, setFailed] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const load = (before?: number) => client.messages.loadThread(conversationId, rootId, { before }).catch(() => setFailed(true));
  useEffect(() => void load(), [rootId]);

  // The user's replies still on their way are in the conversation's messages.
  const pending = conv?.messages.filter((m) => m.id === null && m.sending?.threadId === rootId) ?? [];
  const replies = [...(thread?.messages ?? []), ...pending];
  const close = () => {
    const pane = ref.current?.closest('.view-pane');
    const seq = root?.seq;
    onClose();
    // After the list's and the composer's effects (a composer that mounts may take the focus).
    setTimeout(() => pane && !jumpTo(pane, seq) && pane.querySelector('textarea')?.focus(), 80);
  };
  const titleId = `bt-thread-${rootId}`;

  return (
    <div
      ref={ref}
      class="thread"
      role="dialog"
      aria-labelledby={titleId}
      onKeyDown={(e) => {
        // The composer's mention list takes its own Escape first (it stops there).
        if (e.key === 'Escape' && !e.defaultPrevented) {
          e.stopPropagation();
          close();
        }
      }}
    >
      <header>
        <h2 id={titleId}>{say('thread')}</h2>
        <button type="button" class="icon" aria-label={say('closeThread')} onClick={close}>
          ×
        </button>
      </header>
      <div class="scroll">
        {root && <Reply m={root} conversationId={conversationId} root />}
        {thread?.hasOlder && (
          <button type="button" class="older" disabled={thread.loading} onClick={() => load(thread.messages[0]?.seq ?? undefined)}>
            {thread.loading ? tr.t('loading') : say('olderReplies')}
          </button>
        )}
        {failed && !thread?.root && <p class="empty">{say('threadFailed')}</p>}
        <ul aria-label={say('threadReplies')}>
          {replies.map((m) => (
            <li key={m.clientId}>
              <Reply m={m} conversationId={conversationId} />
            </li>
          ))}
        </ul>
      </div>
      <Composer conversationId={conversationId} threadId={rootId} showInChannel={also} autoFocus>
        <label class="also">
          <input type="checkbox" checked={also} onChange={(e) => setAlso(e.currentTarget.checked)} />
          {say('alsoSend')}
        </label>
      </Composer>
    </div>
  );
}

/** One message of the thread: who, when and what (text, never HTML). */
function Reply({ m, conversationId, root }: { m: LocalMessage; conversationId: string; root?: boolean }) {
  const widget = useWidget();
  const { say } = repliesSayer(widget);
  const mine = m.senderId === widget.client.store.getSnapshot().me?.id;
  const name = mine ? widget.tr.t('you') : nameOf(widget.client, conversationId, m.senderId);
  return (
    <div class={`reply${root ? ' root' : ''}${m.status === 'sending' ? ' sending' : ''}`} data-id={m.id ?? undefined}>
      <p class="who">
        <strong>{name}</strong>{' '}
        <time dateTime={m.createdAt}>{new Date(m.createdAt).toLocaleTimeString(widget.tr.locale, { timeStyle: 'short' })}</time>
      </p>
      <p class="bubble" dir="auto">
        {m.deletedAt ? say('quoteDeleted') : m.body}
      </p>
    </div>
  );
}
