import type { ChatState, ConversationState, LocalMessage } from '@banter/core';
import { Fragment } from 'preact';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useWidget } from '../context';
import { displayName, formatDay, formatTime } from '../format';
import { groupMessages } from '../group-messages';
import { loadAttachments, loadMessageActions, loadReplies } from '../lazy/chunks';
import { useChunk } from '../lazy/use-chunk';
import { Avatar } from './avatar';
import { conversationTitle } from './conversation-title';
import { LinkifiedText } from './linkified-text';
import { MessageStatus } from './message-status';
import { useSeen } from './use-seen';

export interface MessageListProps {
  conv: ConversationState;
  state: ChatState;
  /** Bumped by the composer after a send: scroll to the bottom. */
  sentTick: number;
}

// Within this many pixels of an edge counts as "at" it.
const EDGE = 48;

const keyOf = (m: LocalMessage) => m.clientId || m.id || '';

interface Snapshot {
  keys: Set<string>;
  first: string | undefined;
  height: number;
  top: number;
}

/**
 * The messages of one conversation, grouped by day and sender. Keeps the reader's place: older
 * messages load at the top without moving what is on screen, new ones scroll into view only when
 * the reader is at the bottom (else a "New messages" pill appears).
 */
export function MessageList({ conv, state, sentTick }: MessageListProps) {
  const { client, tr, announce } = useWidget();
  const meId = state.me?.id;
  const id = conv.conversation.id;
  // A thread reply shows here only when sent to the conversation too (else in the thread panel).
  const messages = useMemo(
    () => conv.messages.filter((m) => !(m.threadId ?? m.sending?.threadId) || (m.showInChannel ?? m.sending?.showInChannel)),
    [conv.messages],
  );
  const shown = { ...conv, messages };
  const ref = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const prev = useRef<Snapshot | null>(null);
  const [pill, setPill] = useState(false);
  // The message actions chunk: once the reader reaches the list, or a message needs it to show.
  const [hot, setHot] = useState(false);
  const actions = useChunk(loadMessageActions, hot || messages.some((m) => m.reactions || m.editedAt || m.deletedAt)).module;
  const wake = () => setHot(true);
  // Unread when the conversation opened: the divider stays where it was while the reader reads on.
  const readAtOpen = useRef(conv.conversation.unreadCount > 0 ? conv.conversation.lastReadSeq : null);
  const firstUnread =
    readAtOpen.current === null ? undefined : messages.find((m) => m.seq != null && m.seq > readAtOpen.current! && m.senderId !== meId);
  const days = useMemo(() => groupMessages(messages, firstUnread), [messages, firstUnread]);
  const observe = useSeen(client, id, ref);
  const users = useMemo(() => new Map(conv.conversation.participants.map((p) => [p.user.id, p.user])), [conv.conversation.participants]);

  const toBottom = () => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setPill(false);
  };

  const remember = () => {
    const el = ref.current;
    if (el && prev.current) {
      prev.current.height = el.scrollHeight;
      prev.current.top = el.scrollTop;
    }
  };

  const loadOlder = () => {
    if (!conv.hasOlder || conv.loadingOlder) return;
    remember();
    client.messages.loadOlder(id).catch(() => {});
  };

  // Runs after the DOM has the new messages and before the browser paints them.
  useLayoutEffect(() => {
    const el = ref.current!;
    const p = prev.current;
    const keys = new Set(messages.map(keyOf));
    const first = messages[0] && keyOf(messages[0]);
    if (!p || p.keys.size === 0) {
      // Opening the conversation (or its first page arriving): start at the first unread message
      // when it is more than a screen up, else at the latest.
      const divider = el.querySelector<HTMLElement>('.divider');
      if (divider && el.scrollHeight - divider.offsetTop > el.clientHeight) {
        el.scrollTop = divider.offsetTop - EDGE / 2;
        atBottom.current = false;
      } else if (messages.length) toBottom();
    } else {
      const oldFirstIndex = p.first === undefined ? -1 : messages.findIndex((m) => keyOf(m) === p.first);
      const added = messages.filter((m, i) => i > oldFirstIndex && !p.keys.has(keyOf(m)));
      if (oldFirstIndex > 0 && added.length === 0) {
        // Older messages were put above: keep the same distance from the bottom.
        el.scrollTop = el.scrollHeight - p.height + p.top;
      } else if (added.length) {
        const fromOthers = added.filter((m) => m.senderId !== meId);
        if (atBottom.current || fromOthers.length < added.length) toBottom();
        else setPill(true);
        const latest = fromOthers[fromOthers.length - 1];
        if (latest) {
          announce(tr.t('newMessageFrom', { name: displayName(users.get(latest.senderId), latest.senderId), body: latest.body }));
        }
      }
    }
    prev.current = { keys, first, height: el.scrollHeight, top: el.scrollTop };
  }, [messages]);

  useLayoutEffect(() => {
    if (sentTick) toBottom();
  }, [sentTick]);

  const onScroll = () => {
    const el = ref.current!;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight <= EDGE;
    if (atBottom.current) setPill(false);
    remember();
    if (el.scrollTop <= EDGE) loadOlder();
  };

  // Sent / Read shows once, as in good messengers: Read under my latest message someone has read
  // (where the reader is), Sent under my latest one only when it is newer than that. Screen
  // readers still get each message's receipt.
  let lastRead: LocalMessage | undefined;
  let lastSent: LocalMessage | undefined;
  for (const m of messages) {
    if (m.senderId === meId && m.seq != null) {
      lastSent = m;
      if (m.status === 'read') lastRead = m;
    }
  }

  const label = `${tr.t('messages')} – ${conversationTitle(conv.conversation, meId, tr)}`;
  return (
    <div class="view">
      <div
        ref={ref}
        class="scroll"
        role="log"
        aria-live="off"
        aria-label={label}
        tabIndex={0}
        onScroll={onScroll}
        onFocusIn={wake}
        onPointerOver={wake}
      >
        {conv.hasOlder && (
          <button type="button" class="older" onClick={loadOlder} disabled={conv.loadingOlder}>
            {conv.loadingOlder ? tr.t('loading') : tr.t('loadOlder')}
          </button>
        )}
        {messages.length === 0 && !conv.hasOlder && <p class="empty">{tr.t('noMessages')}</p>}
        {days.map((day) => (
          <div key={day.day}>
            <h3 class="day">{formatDay(day.day, tr)}</h3>
            {day.groups.map((group) => {
              const mine = group.senderId === meId;
              const sender = users.get(group.senderId);
              const name = mine ? tr.t('you') : displayName(sender, group.senderId);
              return (
                <Fragment key={group.key}>
                  {group.messages[0] === firstUnread && (
                    <p class="divider">
                      <span>{tr.t('unreadFrom')}</span>
                    </p>
                  )}
                  <div class={`group${mine ? ' mine' : ''}`} data-sender={group.senderId}>
                    {!mine && <Avatar id={group.senderId} name={name} url={sender?.avatarUrl} small />}
                    <div class="bubbles">
                      {!mine && conv.conversation.kind === 'group' && <p class="sender">{name}</p>}
                      <div class="msgs" role="list" aria-label={name}>
                        {group.messages.map((m) => {
                          const time = formatTime(m.createdAt, tr.locale);
                          const who = `${name}, ${time}: `;
                          const bubble = (
                            <p class={`bubble${meId && m.mentions?.includes(meId) ? ' at' : ''}`}>
                              <span class="sr">{who}</span>
                              <span class="text" dir="auto">
                                <LinkifiedText text={m.body} />
                              </span>
                              <time class="time" dateTime={m.createdAt} aria-hidden="true">
                                {time}
                              </time>
                            </p>
                          );
                          const quoted = m.replyTo ? (
                            <>
                              <Replies m={m} />
                              {bubble}
                            </>
                          ) : (
                            bubble
                          );
                          return (
                            <div
                              key={keyOf(m)}
                              ref={mine ? undefined : observe}
                              class={`msg ${m.status}`}
                              role="listitem"
                              data-seq={m.seq ?? undefined}
                            >
                              {actions ? <actions.Message m={m} conv={shown} meId={meId} bubble={quoted} who={who} /> : quoted}
                              {(m.attachments || m.files) && <Files m={m} />}
                              {!!m.replyCount && <Replies m={m} below />}
                              {mine && (
                                <MessageStatus message={m} conv={conv} state={state} receipt={m === lastRead || m === lastSent || 'sr'} />
                              )}
                            </div>
                          );
                        })}
                      </div>
                    </div>
                  </div>
                </Fragment>
              );
            })}
          </div>
        ))}
      </div>
      {pill && (
        <button type="button" class="pill" onClick={toBottom}>
          {tr.t('newMessages')} ↓
        </button>
      )}
    </div>
  );
}

/** A reply's quote, or (`below`) a thread root's "N replies", drawn by the replies chunk. */
function Replies({ m, below }: { m: LocalMessage; below?: boolean }) {
  const chunk = useChunk(loadReplies, true).module;
  return chunk ? <chunk.Quote m={m} conversationId={m.conversationId} below={below} /> : null;
}

/** A message's files, drawn by the attachments chunk (loaded with the first message that has some). */
function Files({ m }: { m: LocalMessage }) {
  const chunk = useChunk(loadAttachments, true).module;
  return chunk ? <chunk.MessageFiles message={m} /> : null;
}
