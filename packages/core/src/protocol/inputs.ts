import { z } from 'zod';
import { avatarUrlSchema, displayNameSchema } from './profile';
import {
  createConversationBodySchema,
  listConversationsQuerySchema,
  listMessagesQuerySchema,
  markReadBodySchema,
  sendMessageBodySchema,
  userIdSchema,
} from './schemas';

/**
 * The inputs of the server's operations: one flat object per operation, the path's parameters
 * included, so the HTTP route and the in-process `chat.api` validate the same shape with the same
 * messages. A conversation id is any string here: one that is not a UUID cannot exist, and the
 * server answers it 404 like an unknown one.
 */

const conversationId = z.string().max(200);

export const getConversationInputSchema = z.strictObject({ conversationId });
export type GetConversationInput = z.infer<typeof getConversationInputSchema>;

export const listConversationsInputSchema = listConversationsQuerySchema;
export type ListConversationsInput = z.input<typeof listConversationsInputSchema>;

export const createConversationInputSchema = createConversationBodySchema;
export type CreateConversationInput = z.infer<typeof createConversationInputSchema>;

export const listMessagesInputSchema = listMessagesQuerySchema.extend({ conversationId });
export type ListMessagesInput = z.input<typeof listMessagesInputSchema>;

export const sendMessageInputSchema = sendMessageBodySchema.extend({ conversationId });
export type SendMessageInput = z.infer<typeof sendMessageInputSchema>;

/**
 * The host's backend may send without a clientId (no idempotency) or with a key of its own making
 * (e.g. `seed-42`); a user's client always sends a UUID.
 */
export const hostSendMessageInputSchema = sendMessageInputSchema.extend({
  clientId: z.string().min(1).max(128).optional(),
});

export const markReadInputSchema = markReadBodySchema.extend({ conversationId });
export type MarkReadInput = z.infer<typeof markReadInputSchema>;

/** `chat.api.upsertUser`: the host syncs a user's profile; `undefined` keeps the stored value. */
export const upsertUserInputSchema = z.strictObject({
  id: userIdSchema,
  name: displayNameSchema.nullable().optional(),
  avatarUrl: avatarUrlSchema.nullable().optional(),
});
export type UpsertUserInput = z.infer<typeof upsertUserInputSchema>;
