// Runtime exports stay free of zod: only constants and types come from the protocol module.
export * from './protocol/channels';
export * from './protocol/errors';
export * from './protocol/limits';
export type * from './protocol/schemas';
export type { SearchResponse, SearchResult } from './protocol/search';
export type { ThreadPage } from './protocol/threads';
export type { MessageVersion } from './protocol/lifecycle';
export type { NotificationPush, NotificationSettings, NotificationSettingsResponse } from './protocol/notifications';

export { BanterError, isBanterError, isTransient, toBanterError } from './errors';
export { browserPlatform } from './platform';
export type { Platform } from './platform';
export { defaultStorage, memoryStorage } from './storage';
export type { ChatStorage } from './storage';
export type * from './types';
export type { ConversationMetadataOf, Metadata, MessageMetadataOf } from './protocol/metadata';
export { type ClientNotifications, createChatNotifications } from './features/notifications';
export {
  selectConversation,
  selectConversationList,
  selectMessages,
  selectOnline,
  selectReadBy,
  selectReadCursors,
  selectTyping,
  selectUnreadTotal,
} from './selectors';
export { createChatClient, createClientCore } from './client';
export type { ClientCoreOptions, ClientTimings } from './client';
export type { HttpApi } from './http';
export type { PresenceHandle, RealtimeTransport } from './realtime';
