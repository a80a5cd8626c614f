/**
 * Every string the widget shows, in one dictionary per locale. `{name}` placeholders are filled by
 * `format`; keys ending in `_one` / `_other` are chosen with Intl.PluralRules.
 */
export const en = {
  chat: 'Chat',
  openChat: 'Open chat',
  closeChat: 'Close chat',
  unreadBadge_one: '{count} unread message',
  unreadBadge_other: '{count} unread messages',
  conversations: 'Conversations',
  noConversations: 'No conversations yet.',
  loadMoreConversations: 'Load more conversations',
  back: 'Back to conversations',
  messages: 'Messages',
  loading: 'Loading…',
  loadOlder: 'Load earlier messages',
  noMessages: 'No messages yet. Say hello!',
  newMessages: 'New messages',
  you: 'You',
  youPrefix: 'You: ',
  today: 'Today',
  yesterday: 'Yesterday',
  sending: 'Sending…',
  sent: 'Sent',
  read: 'Read',
  readBy: 'Read by {count} of {total}',
  readByNames: 'Read by {names}',
  failed: 'Not sent.',
  retry: 'Retry',
  discard: 'Discard',
  typing_one: '{names} is typing…',
  typing_other: '{names} are typing…',
  typingMany: 'Several people are typing…',
  and: '{a} and {b}',
  offline: 'You are offline. Messages will be sent when the connection is back.',
  connecting: 'Connecting…',
  composerLabel: 'Message',
  composerPlaceholder: 'Write a message…',
  send: 'Send',
  charsLeft_one: '{count} character left',
  charsLeft_other: '{count} characters left',
  charsOver_one: '{count} character over the limit',
  charsOver_other: '{count} characters over the limit',
  newMessageFrom: 'New message from {name}: {body}',
  unreadCount_one: '{count} unread',
  unreadCount_other: '{count} unread',
  untitled: 'Conversation',
  errorLoading: 'Could not load the chat.',
};

export type Strings = typeof en;
export type StringKey = keyof Strings;

export const de: Strings = {
  chat: 'Chat',
  openChat: 'Chat öffnen',
  closeChat: 'Chat schließen',
  unreadBadge_one: '{count} ungelesene Nachricht',
  unreadBadge_other: '{count} ungelesene Nachrichten',
  conversations: 'Unterhaltungen',
  noConversations: 'Noch keine Unterhaltungen.',
  loadMoreConversations: 'Weitere Unterhaltungen laden',
  back: 'Zurück zu den Unterhaltungen',
  messages: 'Nachrichten',
  loading: 'Wird geladen…',
  loadOlder: 'Frühere Nachrichten laden',
  noMessages: 'Noch keine Nachrichten. Sag Hallo!',
  newMessages: 'Neue Nachrichten',
  you: 'Du',
  youPrefix: 'Du: ',
  today: 'Heute',
  yesterday: 'Gestern',
  sending: 'Wird gesendet…',
  sent: 'Gesendet',
  read: 'Gelesen',
  readBy: 'Gelesen von {count} von {total}',
  readByNames: 'Gelesen von {names}',
  failed: 'Nicht gesendet.',
  retry: 'Erneut senden',
  discard: 'Verwerfen',
  typing_one: '{names} schreibt…',
  typing_other: '{names} schreiben…',
  typingMany: 'Mehrere Personen schreiben…',
  and: '{a} und {b}',
  offline: 'Du bist offline. Nachrichten werden gesendet, sobald die Verbindung zurück ist.',
  connecting: 'Verbindung wird hergestellt…',
  composerLabel: 'Nachricht',
  composerPlaceholder: 'Nachricht schreiben…',
  send: 'Senden',
  charsLeft_one: 'Noch {count} Zeichen',
  charsLeft_other: 'Noch {count} Zeichen',
  charsOver_one: '{count} Zeichen über dem Limit',
  charsOver_other: '{count} Zeichen über dem Limit',
  newMessageFrom: 'Neue Nachricht von {name}: {body}',
  unreadCount_one: '{count} ungelesen',
  unreadCount_other: '{count} ungelesen',
  untitled: 'Unterhaltung',
  errorLoading: 'Der Chat konnte nicht geladen werden.',
};

export const fr: Strings = {
  chat: 'Discussion',
  openChat: 'Ouvrir la discussion',
  closeChat: 'Fermer la discussion',
  unreadBadge_one: '{count} message non lu',
  unreadBadge_other: '{count} messages non lus',
  conversations: 'Conversations',
  noConversations: 'Aucune conversation pour le moment.',
  loadMoreConversations: 'Charger plus de conversations',
  back: 'Retour aux conversations',
  messages: 'Messages',
  loading: 'Chargement…',
  loadOlder: 'Charger les messages précédents',
  noMessages: 'Aucun message. Dites bonjour !',
  newMessages: 'Nouveaux messages',
  you: 'Vous',
  youPrefix: 'Vous : ',
  today: 'Aujourd’hui',
  yesterday: 'Hier',
  sending: 'Envoi…',
  sent: 'Envoyé',
  read: 'Lu',
  readBy: 'Lu par {count} sur {total}',
  readByNames: 'Lu par {names}',
  failed: 'Non envoyé.',
  retry: 'Réessayer',
  discard: 'Supprimer',
  typing_one: '{names} écrit…',
  typing_other: '{names} écrivent…',
  typingMany: 'Plusieurs personnes écrivent…',
  and: '{a} et {b}',
  offline: 'Vous êtes hors ligne. Les messages partiront dès le retour de la connexion.',
  connecting: 'Connexion…',
  composerLabel: 'Message',
  composerPlaceholder: 'Écrire un message…',
  send: 'Envoyer',
  charsLeft_one: 'Encore {count} caractère',
  charsLeft_other: 'Encore {count} caractères',
  charsOver_one: '{count} caractère de trop',
  charsOver_other: '{count} caractères de trop',
  newMessageFrom: 'Nouveau message de {name} : {body}',
  unreadCount_one: '{count} non lu',
  unreadCount_other: '{count} non lus',
  untitled: 'Conversation',
  errorLoading: 'Impossible de charger la discussion.',
};

export const dictionaries: Record<string, Strings> = { en, de, fr };

type PluralBase<K> = K extends `${infer B}_one` ? B : never;
export type PluralKey = PluralBase<StringKey>;

export interface Translator {
  /** The BCP 47 tag actually used (for Intl date formatting). */
  locale: string;
  t(key: StringKey, vars?: Record<string, string | number>): string;
  /** Picks `key_one` or `key_other` for `count` and fills `{count}`. */
  plural(key: PluralKey, count: number, vars?: Record<string, string | number>): string;
  /** "Ann", "Ann and Bob", "Ann, Bob and Cy". */
  list(items: string[]): string;
}

const fill = (text: string, vars?: Record<string, string | number>) =>
  vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;

/**
 * Picks the dictionary for `locale` ("de-AT" falls back to "de", anything unknown to English),
 * with optional per-key overrides.
 *
 * @example
 * const { t, plural } = createTranslator('de');
 * t('send'); // "Senden"
 * plural('unreadBadge', 2); // "2 ungelesene Nachrichten"
 */
export function createTranslator(locale?: string, overrides?: Partial<Strings>): Translator {
  const tag = locale || 'en';
  const base = dictionaries[tag] ?? dictionaries[tag.split('-')[0]!.toLowerCase()] ?? en;
  const strings: Strings = overrides ? { ...base, ...overrides } : base;
  let rules: Intl.PluralRules;
  try {
    rules = new Intl.PluralRules(tag);
  } catch {
    rules = new Intl.PluralRules('en');
  }
  const t = (key: StringKey, vars?: Record<string, string | number>) => fill(strings[key] ?? en[key], vars);
  return {
    locale: tag,
    t,
    plural: (key, count, vars) =>
      t(`${key}_${rules.select(count) === 'one' ? 'one' : 'other'}` as StringKey, { count, ...vars }),
    list: (items) =>
      items.length < 2
        ? (items[0] ?? '')
        : t('and', { a: items.slice(0, -1).join(', '), b: items[items.length - 1]! }),
  };
}

/** The locale to use when none is given: the page's `lang`, then the browser's. */
export function detectLocale(): string {
  if (typeof document !== 'undefined' && document.documentElement.lang) return document.documentElement.lang;
  if (typeof navigator !== 'undefined' && navigator.language) return navigator.language;
  return 'en';
}
