// English: built in, the fallback for every key another locale lacks. The other locales import
// only the type from here, never i18n.ts, so i18n.ts -> locales/de.ts is no import cycle.
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
  pickConversation: 'Choose a conversation.',
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
  composerLabel: 'Message',
  composerPlaceholder: 'Write a message…',
  send: 'Send',
  charsLeft_one: '{count} character left',
  charsLeft_other: '{count} characters left',
  charsOver_one: '{count} character over the limit',
  charsOver_other: '{count} characters over the limit',
  newMessageFrom: 'New message from {name}: {body}',
  untitled: 'Conversation',
  errorLoading: 'Could not load the chat.',
};

export type Strings = typeof en;
