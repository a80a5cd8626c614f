import type { ChatClient, LocalMessage } from '@banter/core';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Translator } from './i18n';
import type { WidgetNotificationOptions } from './options';
import type { RequestHealth } from './request-health';
import type { FunctionComponent } from 'preact';

/** What the avatar takes (here, not in components/avatar.tsx, so the context needs no import of it). */
export interface AvatarProps {
  id: string;
  name: string;
  url?: string | null;
  small?: boolean;
  /** A green dot: the person is here (from the conversation's presence channel). */
  online?: boolean;
}

export interface WidgetContextValue {
  client: ChatClient;
  tr: Translator;
  /** Failed requests, when the widget made the client (it wraps the client's fetch). */
  health?: Pick<RequestHealth, 'getSnapshot' | 'subscribe' | 'reset'>;
  /** The `notifications` option (the notifications chunk loads only with it). */
  notifications?: boolean | WidgetNotificationOptions;
  /** Says `text` through the widget's polite aria-live region. */
  announce(text: string): void;
  /** The widget's avatar, for lazy chunks (one copy, in widget.js). */
  Avatar: FunctionComponent<AvatarProps>;
  /**
   * The emoji picker chunk, for other chunks (a chunk cannot load another itself: the script tag's
   * loader lives in widget.js). Typed here, not imported, so the context imports no chunk.
   */
  loadEmojiPicker?(): Promise<{
    EmojiPicker: FunctionComponent<{ label: string; onPick(emoji: string): void; onClose(): void }>;
  }>;
  /**
   * Extension points of the message actions menu (chunks/message-actions.tsx): "Reply" and "Reply in
   * thread" show only when these are set (the composer's quote preview and the thread panel set them).
   */
  startReply?(m: LocalMessage): void;
  openThread?(m: LocalMessage): void;
}

export const WidgetContext = createContext<WidgetContextValue | null>(null);

/** The widget's context; components render only inside <WidgetContext.Provider>. */
export function useWidget(): WidgetContextValue {
  return useContext(WidgetContext)!;
}
