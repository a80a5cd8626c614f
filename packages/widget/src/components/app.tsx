import { selectUnreadTotal } from '@banter/core';
import { Component, type ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { WidgetContext, type WidgetContextValue } from '../context';
import { displayName } from '../format';
import { loadEmojiPicker } from '../lazy/chunks';
import type { WidgetMode } from '../options';
import { useStore } from '../use-store';
import { loadNotifications } from '../lazy/chunks';
import { useChunk } from '../lazy/use-chunk';
import { Avatar } from './avatar';
import { ConversationList } from './conversation-list';
import { ConversationView } from './conversation-view';
import { Launcher } from './launcher';
import { useUnreadTitle } from './unread-title';

export interface AppProps {
  context: Omit<WidgetContextValue, 'announce' | 'Avatar' | 'loadEmojiPicker'>;
  mode: WidgetMode;
  conversationWith?: string;
  /** Popup mode: start opened. */
  open?: boolean;
  /** The element whose width decides the inbox layout (the widget's host). */
  host: HTMLElement;
  /** Colour scheme class of the root: light, dark or auto. */
  scheme: string;
  /** Prefix document.title with the unread total. */
  unreadInTitle?: boolean;
}

// Below this host width the inbox shows the list or the conversation, not both.
// 560: two demo panes side by side at 1280 px (about 600 px each) still show list and conversation.
const INBOX_WIDE_MIN = 560;

/** The whole widget: launcher and popup, an inline conversation, or the inbox. */
export function App({ context, mode, conversationWith, open: initiallyOpen, host, scheme, unreadInTitle }: AppProps) {
  const { client, tr } = context;
  const state = useStore(client.store);
  // Browser notifications while the page is hidden: a lazy chunk, only with the option (once loaded,
  // useChunk has it for every widget of the page: hence the option in the render too).
  const notify = useChunk(loadNotifications, !!context.notifications).module;
  useUnreadTitle(unreadInTitle ? selectUnreadTotal(state) : 0, host.ownerDocument);
  // Landmark names carry who is signed in: two widgets on one page must not share them.
  const me = state.me ? displayName(state.me) : '';
  const named = (label: string) => (me ? `${label} – ${me}` : label);
  // Where focus goes next (after the user opened or left a conversation), never on its own.
  const [focus, setFocus] = useState<{ composer: boolean; row?: string }>({ composer: false });
  const [announcement, setAnnouncement] = useState('');
  const [activeId, setActiveId] = useState<string | null>(null);
  const [open, setOpen] = useState(mode !== 'popup' || !!initiallyOpen);
  const [wide, setWide] = useState(() => host.clientWidth >= INBOX_WIDE_MIN);
  const [error, setError] = useState(false);
  const launcher = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  const timer = useRef<ReturnType<typeof setTimeout>>();
  const value: WidgetContextValue = {
    ...context,
    Avatar,
    loadEmojiPicker,
    announce: (text) => {
      // Clear first so the same text twice is still announced.
      setAnnouncement('');
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setAnnouncement(text), 50);
    },
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  useEffect(() => {
    let live = true;
    (async () => {
      await client.ready;
      if (conversationWith) {
        const c = await client.conversations.open({ with: conversationWith });
        if (live) setActiveId(c.id);
      }
      if (!conversationWith || mode === 'inbox') await client.conversations.list();
    })().catch((e: unknown) => {
      if (live) setError(true);
      console.error('[banter]', e);
    });
    return () => {
      live = false;
    };
  }, [client]);

  // The client marks read only what is on screen: the open conversation of an open widget.
  const visibleId = open ? activeId : null;
  useEffect(() => {
    client.setActiveConversation(visibleId);
  }, [visibleId]);
  useEffect(() => () => client.setActiveConversation(null), []);

  useEffect(() => {
    if (mode !== 'inbox' || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      const width = entries[entries.length - 1]?.contentRect.width ?? host.clientWidth;
      setWide(width >= INBOX_WIDE_MIN);
    });
    observer.observe(host);
    return () => observer.disconnect();
  }, [host, mode]);

  useEffect(() => {
    if (mode !== 'popup' || !open) return;
    // Opened by the user: into the composer when a conversation shows, else onto the panel. A popup
    // opened by the `open` option leaves the page's focus alone.
    if (userOpened.current) {
      if (activeId) setFocus({ composer: true });
      else panel.current?.focus();
    }
    // Escape closes even when focus fell out of the widget onto the page's body.
    const doc = host.ownerDocument;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && (doc.activeElement === doc.body || doc.activeElement === host)) close();
    };
    doc.addEventListener('keydown', onKey);
    return () => doc.removeEventListener('keydown', onKey);
  }, [open]);

  const close = () => {
    setOpen(false);
    launcher.current?.focus();
  };
  const userOpened = useRef(false);
  const toggle = () => {
    userOpened.current = true;
    if (open) close();
    else setOpen(true);
  };
  const select = (id: string) => {
    setFocus({ composer: true });
    setActiveId(id);
  };
  // A notification's conversation (the chunk had the server answer it): shown, the popup opened. A
  // widget kept to one conversation (`conversationWith`) opens only that one.
  const reveal = (id: string) => {
    if (conversationWith && mode !== 'inbox' && id !== activeId) return;
    userOpened.current = true;
    setOpen(true);
    select(id);
  };
  const leave = () => {
    setFocus({ composer: false, row: activeId ?? undefined });
    setActiveId(null);
  };

  // Removed from the open conversation (it left the store): back to the list.
  const shown = useRef<string | null>(null);
  useEffect(() => {
    if (activeId && state.conversations[activeId]) shown.current = activeId;
    else if (activeId && shown.current === activeId) leave();
  });

  let body: ComponentChildren;
  const onClose = mode === 'popup' ? close : undefined;
  const view = (onBack?: () => void) =>
    activeId ? (
      <ConversationView key={activeId} conversationId={activeId} onBack={onBack} onClose={onClose} focusComposer={focus.composer} />
    ) : null;
  const list = (
    <ConversationList activeId={activeId} onSelect={select} onClose={onClose} focusId={focus.row} label={named(tr.t('conversations'))} />
  );
  const back = conversationWith ? undefined : leave;

  if (error) {
    body = (
      <p class="empty" role="alert">
        {context.tr.t('errorLoading')}
      </p>
    );
  } else if (mode === 'inbox') {
    body = (
      <div class={`inbox${wide ? '' : ' narrow'}`}>
        {wide ? (
          <>
            {list}
            {view() ?? <p class="empty">{context.tr.t('pickConversation')}</p>}
          </>
        ) : (
          (view(leave) ?? list)
        )}
      </div>
    );
  } else {
    body = <div class="panel">{view(back) ?? (conversationWith ? <p class="empty">{context.tr.t('loading')}</p> : list)}</div>;
  }

  return (
    <WidgetContext.Provider value={value}>
      <div
        class={`root ${scheme}${mode === 'popup' && open ? ' open' : ''}`}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && mode === 'popup' && open) close();
        }}
      >
        {mode === 'popup' ? (
          <>
            {open && (
              <div ref={panel} class="popup" role="dialog" aria-label={named(tr.t('chat'))} tabIndex={-1}>
                {body}
              </div>
            )}
            <Launcher open={open} onToggle={toggle} buttonRef={launcher} />
          </>
        ) : (
          <section class="fill" aria-label={named(tr.t('chat'))}>
            {body}
          </section>
        )}
        {context.notifications && notify && <notify.Notifications onOpen={reveal} />}
        <div class="sr" role="status" aria-live="polite" aria-atomic="true">
          {announcement}
        </div>
      </div>
    </WidgetContext.Provider>
  );
}

/** Keeps a rendering bug inside the widget: the host page never breaks. */
export class ErrorBoundary extends Component<{ children: ComponentChildren; fallback: string }, { failed: boolean }> {
  override state = { failed: false };
  override componentDidCatch(error: unknown) {
    console.error('[banter]', error);
    this.setState({ failed: true });
  }
  override render() {
    return this.state.failed ? <p role="alert">{this.props.fallback}</p> : this.props.children;
  }
}
