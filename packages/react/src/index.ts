export { BanterProvider, type BanterProviderProps } from './provider';
export { useChatClient } from './context';
export { shallowEqual, useChatSelector } from './use-chat-selector';
export { useConversation, useConversations, type ConversationResult, type ConversationsResult } from './use-conversations';
export { useMessages, type MessagesOptions, type MessagesResult } from './use-messages';
export { useSendMessage, type SendMessageActions } from './use-send-message';
export { usePresence, useTyping, type TypingResult } from './use-presence';
export { useConnectionState, useUnreadCount } from './use-status';
export type { LoadState } from './use-load';
