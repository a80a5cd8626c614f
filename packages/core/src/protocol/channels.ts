/** Channel and event names: the realtime half of the public contract. */

/**
 * Each user's private channel: `message.created`, `message.updated`, `message.deleted`,
 * `reaction.updated`, `thread.updated`, `participant.added`, `participant.removed`, `conversation.read`, `conversation.updated`.
 *
 * @example
 * userChannel('alice'); // 'private-user.alice'
 */
export const userChannel = (userId: string) => `private-user.${userId}`;

/**
 * Each conversation's presence channel: members and the `client-typing` client event.
 *
 * @example
 * conversationChannel(conversation.id); // 'presence-conversation.<id>'
 */
export const conversationChannel = (conversationId: string) => `presence-conversation.${conversationId}`;

export const USER_CHANNEL_PREFIX = 'private-user.';
export const CONVERSATION_CHANNEL_PREFIX = 'presence-conversation.';

export const EVENTS = {
  messageCreated: 'message.created',
  conversationRead: 'conversation.read',
  conversationUpdated: 'conversation.updated',
  messageUpdated: 'message.updated',
  messageDeleted: 'message.deleted',
  reactionUpdated: 'reaction.updated',
  threadUpdated: 'thread.updated',
  participantAdded: 'participant.added',
  participantRemoved: 'participant.removed',
  /** A user was erased: `{ erasureId, conversationIds }` (no user id), to those who shared a conversation with them. */
  userErased: 'user.erased',
  /** Moderation: `{ blockerId, blockedId, blocked }` on the blocker's channel (and webhooks). */
  userBlocked: 'user.blocked',
  /** Moderation: a message was reported, `{ reportId, conversationId, messageId, reporterId, reason }` (webhooks). */
  reportCreated: 'report.created',
  typing: 'client-typing',
} as const;

export type EventName = (typeof EVENTS)[keyof typeof EVENTS];
