import type { ChatClient } from '@banter/core';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Translator } from './i18n';

export interface WidgetContextValue {
  client: ChatClient;
  tr: Translator;
  /** Says `text` through the widget's polite aria-live region. */
  announce(text: string): void;
}

export const WidgetContext = createContext<WidgetContextValue | null>(null);

/** The widget's context; components render only inside <WidgetContext.Provider>. */
export function useWidget(): WidgetContextValue {
  return useContext(WidgetContext)!;
}
