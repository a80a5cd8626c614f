import { z } from 'zod';
import { LIMITS } from './limits';
import { metadataSchema } from './metadata';
import { userIdSchema } from './schemas';

/**
 * Inputs and events of a group's membership (issue 14, roles): add participants, remove one (oneself:
 * leave), rename. Ids as in lifecycle.ts: any short string, 404 when not a UUID.
 */

const conversationId = z.string().max(200);

/** A participant's role: `admin` may delete anyone's message, pin, add, remove and rename. */
export type ParticipantRole = 'member' | 'admin';

/** `POST /conversations/:id/participants { userIds }`: at most `LIMITS.participantsPerAdd` at a time. */
export const addParticipantsInputSchema = z.strictObject({
  conversationId,
  userIds: z.array(userIdSchema).min(1).max(LIMITS.participantsPerAdd, `at most ${LIMITS.participantsPerAdd} participants at a time`),
});
export type AddParticipantsInput = z.infer<typeof addParticipantsInputSchema>;

/** `DELETE /conversations/:id/participants/:userId`: an admin removes someone, or anyone leaves. */
export const removeParticipantInputSchema = z.strictObject({ conversationId, userId: z.string().max(200) });
export type RemoveParticipantInput = z.infer<typeof removeParticipantInputSchema>;

/** `PATCH /conversations/:id { title?, metadata? }`: rename a group or replace its metadata (admins). */
// One of the two is needed (the operation checks: a refined object cannot be reshaped for the OpenAPI).
export const renameConversationInputSchema = z.strictObject({
  conversationId,
  title: z.string().trim().min(1).max(LIMITS.titleLength).optional(),
  /** Replaces the conversation's metadata (checked against the host's schema). */
  metadata: metadataSchema.optional(),
});
export type RenameConversationInput = z.infer<typeof renameConversationInputSchema>;

/** `DELETE …/participants/:userId`: who is out, and who remains admin. */
export interface RemoveParticipantResponse {
  conversationId: string;
  userId: string;
}

/** `participant.added`: `userIds` joined the conversation (`addedBy` added them); to everyone in it after. */
export interface ParticipantAddedEvent {
  conversationId: string;
  userIds: string[];
  addedBy: string;
}

/**
 * `participant.removed`: `userId` is out (`removedBy` is themselves when they left); to everyone in
 * it before, the removed user included, whose client then drops the conversation.
 */
export interface ParticipantRemovedEvent {
  conversationId: string;
  userId: string;
  removedBy: string;
}
