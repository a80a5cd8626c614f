import type { ChatClient } from '@banter/core';
import { render } from '@testing-library/preact';
import { Avatar } from '../src/components/avatar';
import { ConversationView } from '../src/components/conversation-view';
import { WidgetContext } from '../src/context';
import { createTranslator } from '../src/i18n';
import { loadEmojiPicker } from '../src/lazy/chunks';

/** Renders one component tree with the widget's context (English), collecting announcements. */
export function renderWithWidget(client: ChatClient, ui: preact.ComponentChildren, locale = 'en') {
  const announced: string[] = [];
  const result = render(
    <WidgetContext.Provider
      value={{ client, tr: createTranslator(locale), announce: (text) => announced.push(text), Avatar, loadEmojiPicker }}
    >
      {ui}
    </WidgetContext.Provider>,
  );
  return { ...result, announced };
}

/** Renders a ConversationView for `conversationId`. */
export function renderConversation(client: ChatClient, conversationId: string) {
  const result = renderWithWidget(client, <ConversationView conversationId={conversationId} />);
  const scroller = () => result.container.querySelector<HTMLElement>('.scroll')!;
  return { ...result, scroller };
}
