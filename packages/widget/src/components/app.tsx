import { Component, type ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { WidgetContext, type WidgetContextValue } from '../context';
import type { WidgetMode } from '../options';
import { ConversationList } from './conversation-list';
import { ConversationView } from './conversation-view';
import { Launcher } from './launcher';

export interface AppProps {
  context: Omit<WidgetContextValue, 'announce'>;
  mode: WidgetMode;
  conversationWith?: string;
  /** Popup mode: start opened. */
  open?: boolean;
  /** The element whose width decides the inbox layout (the widget's host). */
  host: HTMLElement;
  /** Colour scheme class of the root: light, dark or auto. */
  scheme: string;
}

// Below this host width the inbox shows the list or the conversation, not both.
const INBOX_WIDE_MIN = 640;

/** The whole widget: launcher and popup, an inline conversation, or the inbox. */
export function App({ context, mode, conversationWith, open: initiallyOpen, host, scheme }: AppProps) {
  const { client } = context;
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
    if (mode === 'popup' && open) panel.current?.focus();
  }, [open]);

  const close = () => {
    setOpen(false);
    launcher.current?.focus();
  };

  let body: ComponentChildren;
  const view = (onBack?: () => void, onClose?: () => void) =>
    activeId ? <ConversationView key={activeId} conversationId={activeId} onBack={onBack} onClose={onClose} /> : null;
  const list = <ConversationList activeId={activeId} onSelect={setActiveId} />;
  const back = conversationWith ? undefined : () => setActiveId(null);

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
          (view(() => setActiveId(null)) ?? list)
        )}
      </div>
    );
  } else {
    const onClose = mode === 'popup' ? close : undefined;
    body = <div class="panel">{view(back, onClose) ?? (conversationWith ? <p class="empty">{context.tr.t('loading')}</p> : list)}</div>;
  }

  return (
    <WidgetContext.Provider value={value}>
      <div
        class={`root ${scheme}`}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && mode === 'popup' && open) close();
        }}
      >
        {mode === 'popup' ? (
          <>
            {open && (
              <div ref={panel} class="popup" role="dialog" aria-label={context.tr.t('chat')} tabIndex={-1}>
                {body}
              </div>
            )}
            <Launcher open={open} onToggle={() => (open ? close() : setOpen(true))} buttonRef={launcher} />
          </>
        ) : (
          <section class="fill" aria-label={context.tr.t('chat')}>
            {body}
          </section>
        )}
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
