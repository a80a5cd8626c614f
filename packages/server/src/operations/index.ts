import { createConversation, getConversation, listConversations } from './conversations';
import { applyRetention, eraseUser, exportUser, setConversationRetention, verifyErasure } from './data-ownership';
import { getMe } from './me';
import { addReaction, deleteMessage, editMessage, listMessageVersions, removeReaction } from './message-lifecycle';
import { listMessages, sendMessage } from './messages';
import { addParticipants, removeParticipant, renameConversation } from './participants';
import { listPins, pinMessage, unpinMessage } from './pins';
import { markRead } from './read';
import { searchMessagesOperation as search } from './search';
import { listThread } from './threads';
import { createUpload } from './uploads';
import { banUser, listReports, reportMessage, setSlowMode, unbanUser } from './moderation-host';
import { blockUser, listBlocks, muteConversation, unblockUser, unmuteConversation } from './moderation-users';
import {
  getNotificationSettingsOperation as getNotificationSettings,
  subscribePush,
  unsubscribePush,
  updateNotificationSettingsOperation as updateNotificationSettings,
} from './notifications';
import { authorizeChannel } from './realtime-auth';
import { authenticateRealtimeUser } from './realtime-user-auth';
import { health, openApi, ready, realtimeConfig } from './status';
import type { Operation } from './types';
import { searchUsers } from './user-search';
import { createUserToken, upsertUser } from './users';

/**
 * Every operation of the chat server, by name. The HTTP router serves those with an `http` binding;
 * `chat.api` runs any of them. Adding one: a file in this folder, a line here (docs/server.md).
 */
export const operations = {
  getMe,
  listConversations,
  createConversation,
  getConversation,
  renameConversation,
  addParticipants,
  removeParticipant,
  listMessages,
  sendMessage,
  listThread,
  editMessage,
  deleteMessage,
  listMessageVersions,
  addReaction,
  removeReaction,
  pinMessage,
  unpinMessage,
  listPins,
  markRead,
  search,
  searchUsers,
  createUpload,
  authorizeChannel,
  authenticateRealtimeUser,
  realtimeConfig,
  health,
  ready,
  openApi,
  upsertUser,
  createUserToken,
  eraseUser,
  verifyErasure,
  exportUser,
  applyRetention,
  setConversationRetention,
  blockUser,
  unblockUser,
  getNotificationSettings,
  updateNotificationSettings,
  subscribePush,
  unsubscribePush,
  listBlocks,
  muteConversation,
  unmuteConversation,
  reportMessage,
  listReports,
  banUser,
  unbanUser,
  setSlowMode,
} satisfies Record<string, Operation>;

export type Operations = typeof operations;
export type OperationName = keyof Operations;

export { defineOperation } from './types';
export type { Actor, ActorKind, HttpBinding, Operation, OperationContext, RateLimitClass, ServerState } from './types';
export { invokeOperation } from './invoke';
