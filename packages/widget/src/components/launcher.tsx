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
        {open ? <path class="x" d="M6 6l12 12M18 6 6 18" /> : <path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z" />}
      </svg>
      {unread > 0 && !open && (
        <span class="count" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </button>
  );
}
