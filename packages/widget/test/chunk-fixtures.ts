import type { ConversationState, LocalMessage } from '@banter/core';
import { createTranslator, type Translator } from '../src/i18n';
import { de } from '../src/locales/de';

/** The time of every fixture message and participant. */
export const at = '2026-01-02T10:00:00.000Z';

/** Message m1 (seq 1, client id k1) of conversation c1, sent by me: 'hello there'; `over` replaces fields. */
export const message = (over: Partial<LocalMessage> = {}): LocalMessage => ({
  id: 'm1',
  conversationId: 'c1',
  seq: 1,
  senderId: 'me',
  clientId: 'k1',
  body: 'hello there',
  createdAt: at,
  editedAt: null,
  deletedAt: null,
  status: 'sent',
  ...over,
});

/** A participant who joined at `at` and has read nothing. */
export const participant = (id: string, name: string, role: 'member' | 'admin' = 'member') => ({
  user: { id, name },
  lastReadSeq: 0,
  joinedAt: at,
  role,
});

/** Group conversation c1 of `participants`, with `messages` loaded. */
export const groupConversation = (participants: ReturnType<typeof participant>[], messages: LocalMessage[]) =>
  ({ conversation: { id: 'c1', kind: 'group', participants }, messages }) as unknown as ConversationState;

/** The widget's strings in German for 'de', else English. */
export const translator = (locale?: string): Translator => (locale === 'de' ? createTranslator('de', de) : createTranslator('en'));
