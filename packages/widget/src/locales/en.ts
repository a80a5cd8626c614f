import type { actionsEn } from './actions-en';
import type { notifyEn } from './notify-en';
import type { repliesEn } from './replies-en';
import type { peopleEn } from './people-en';

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
  newMessage: 'New message',
  editGroup: 'Edit group',
  searchMessages: 'Search messages',
  searchResults: 'Search results',
  noResults: 'No messages found.',
  searchFailed: 'Search is unavailable right now.',
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
  reconnecting: 'Connection lost. Reconnecting… Messages will be sent when it is back.',
  unreadFrom: 'Unread messages',
  online: 'Online',
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
  insertEmoji: 'Insert emoji',
  searchEmoji: 'Search emoji',
  noEmoji: 'No emoji found',
  blockedNotice: 'You can’t send messages in this conversation.',
  muted: 'Muted',
  attach: 'Attach files',
  removeFile: 'Remove {name}',
  fileTooBig: '{name} is too big: files are at most {max}. It was not added.',
  fileType: '{name} was not added: files of this type cannot be sent.',
  tooManyFiles: 'At most {count} files per message.',
  uploading: 'Uploading {name}',
  cancelUpload: 'Cancel',
  viewImage: 'Open image {name}',
  download: 'Download',
  close: 'Close',
};

/**
 * Every key: widget.js's own, and (optional: English ships with each chunk) the people chunk's
 * (locales/people-en.ts), the notifications chunk's (locales/notify-en.ts) and the message
 * actions' (locales/actions-en.ts) and the replies chunk's (locales/replies-en.ts).
 */
export type Strings = typeof en &
  Partial<typeof peopleEn> &
  Partial<typeof notifyEn> &
  Partial<typeof actionsEn> &
  Partial<typeof repliesEn>;
