import { selectUnreadTotal } from '@banter/core';
import type { Ref } from 'preact';
import { useWidget } from '../context';
import { useStore } from '../use-store';

export interface LauncherProps {
  open: boolean;
  onToggle(): void;
  buttonRef?: Ref<HTMLButtonElement>;
}

/** The floating round button of popup mode, with the unread badge. */
export function Launcher({ open, onToggle, buttonRef }: LauncherProps) {
  const { client, tr } = useWidget();
  const unread = selectUnreadTotal(useStore(client.store));
  const label = open ? tr.t('closeChat') : tr.t('openChat');
  return (
    <button
      ref={buttonRef}
      type="button"
      class="launcher"
      aria-expanded={open ? 'true' : 'false'}
      aria-label={unread && !open ? `${label}, ${tr.plural('unreadBadge', unread)}` : label}
      onClick={onToggle}
    >
      <svg viewBox="0 0 24 24" aria-hidden="true">
        {open ? (
          <path d="M18.3 5.7a1 1 0 0 0-1.4 0L12 10.6 7.1 5.7a1 1 0 1 0-1.4 1.4l4.9 4.9-4.9 4.9a1 1 0 1 0 1.4 1.4l4.9-4.9 4.9 4.9a1 1 0 0 0 1.4-1.4L13.4 12l4.9-4.9a1 1 0 0 0 0-1.4z" />
        ) : (
          <path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z" />
        )}
      </svg>
      {unread > 0 && !open && (
        <span class="count" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </button>
  );
}
