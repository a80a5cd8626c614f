import { z } from 'zod';
import { LIMITS } from './limits';
import { type Message, userIdSchema } from './schemas';

/**
 * Moderation (issue 16): blocks, mutes, reports, bans and slow mode. Ids are any short string
 * here where a UUID is expected: one that is not a UUID cannot exist, and the server answers 404.
 */

export const MODERATION_LIMITS = {
  /** Characters in a report's reason and a ban's reason. */
  reasonLength: 500,
  /** Users one user may block (the whole list is one response). */
  blocksPerUser: 1000,
  /** Longest slow mode, in seconds (a day). */
  slowModeSeconds: 86_400,
} as const;

const conversationId = z.string().max(200);
const messageId = z.string().max(200);
const reason = z.string().trim().min(1, 'give a reason').max(MODERATION_LIMITS.reasonLength);

/** `PUT` / `DELETE /me/blocks/:userId`. */
export const blockInputSchema = z.strictObject({ userId: userIdSchema });
export type BlockInput = z.infer<typeof blockInputSchema>;

/** `GET /me/blocks`. */
export const listBlocksInputSchema = z.strictObject({});

/** One user the caller blocked. */
export interface Block {
  userId: string;
  createdAt: string;
}
export interface BlocksResponse {
  blocks: Block[];
}

/** `PUT` / `DELETE /conversations/:id/mute`. */
export const muteInputSchema = z.strictObject({ conversationId });
export type MuteInput = z.infer<typeof muteInputSchema>;
export interface MuteResponse {
  conversationId: string;
  muted: boolean;
}

/** `POST /conversations/:id/messages/:messageId/reports { reason }`. */
export const reportMessageBodySchema = z.strictObject({ reason });
export const reportMessageInputSchema = reportMessageBodySchema.extend({ conversationId, messageId });
export type ReportMessageInput = z.infer<typeof reportMessageInputSchema>;

/** A report of a message, as the host lists it (the message as it reads now: '' once deleted). */
export interface Report {
  id: string;
  conversationId: string;
  messageId: string;
  reporterId: string;
  reason: string;
  createdAt: string;
  message: Message | null;
}
export interface ReportResponse {
  report: Omit<Report, 'message'>;
}
export interface ReportPage {
  reports: Report[];
  nextCursor: string | null;
}

/** `chat.api.listReports`: newest first. */
export const listReportsInputSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
  cursor: z.string().max(200).optional(),
  conversationId: conversationId.optional(),
});
export type ListReportsInput = z.input<typeof listReportsInputSchema>;

/** `chat.api.banUser` / `unbanUser`: from the whole app, or from one conversation. */
export const banInputSchema = z.strictObject({
  userId: userIdSchema,
  conversationId: conversationId.optional(),
  reason: reason.optional(),
});
export type BanInput = z.infer<typeof banInputSchema>;
export const unbanInputSchema = banInputSchema.omit({ reason: true });
export type UnbanInput = z.infer<typeof unbanInputSchema>;
export interface BanResponse {
  userId: string;
  conversationId: string | null;
  banned: boolean;
}

/** `PUT /conversations/:id/slow-mode { seconds }`: 0 turns it off. */
export const slowModeBodySchema = z.strictObject({
  seconds: z.number().int().min(0).max(MODERATION_LIMITS.slowModeSeconds),
});
export const slowModeInputSchema = slowModeBodySchema.extend({ conversationId });
export type SlowModeInput = z.infer<typeof slowModeInputSchema>;
export interface SlowModeResponse {
  conversationId: string;
  slowModeSeconds: number | null;
}

/** `user.blocked` on the blocker's channel (their other devices; webhooks): ids only. */
export interface UserBlockedEvent {
  blockerId: string;
  blockedId: string;
  blocked: boolean;
}

/** `report.created` (for the host's webhooks): ids and the bounded reason. */
export interface ReportCreatedEvent {
  reportId: string;
  conversationId: string;
  messageId: string;
  reporterId: string;
  reason: string;
}

// Success bodies of the moderation routes (the OpenAPI reads them).
export const blockResponseSchema = z.object({ userId: z.string(), blocked: z.boolean() });
export const blocksResponseSchema = z.object({ blocks: z.array(z.object({ userId: z.string(), createdAt: z.string() })) });
export const muteResponseSchema = z.object({ conversationId: z.string(), muted: z.boolean() });
export const reportResponseSchema = z.object({
  report: z.object({
    id: z.string(),
    conversationId: z.string(),
    messageId: z.string(),
    reporterId: z.string(),
    reason: z.string(),
    createdAt: z.string(),
  }),
});
export const slowModeResponseSchema = z.object({ conversationId: z.string(), slowModeSeconds: z.number().int().nullable() });
