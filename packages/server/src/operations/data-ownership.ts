import { idSchema, userIdSchema } from '@banter/core/protocol';
import { z } from 'zod';
import { ApiError } from '../errors/api-error';
import { type ErasureReport, eraseUser as erase, verifyErasure as verify, type ErasureVerification } from '../ownership/erase-user';
import { exportUser as exportRows, type UserExport } from '../ownership/export-user';
import { applyRetention as retain, type RetentionReport } from '../ownership/retention';
import { transact } from '../store/context';
import { setConversationRetention as storeSetRetention } from '../store/retention';
import { conversationIdOf } from './conversation-id';
import { defineOperation } from './types';

const MAX_RETENTION_DAYS = 36_500;
const days = z.number().int().min(1).max(MAX_RETENTION_DAYS);

/** `chat.api.eraseUser`: remove every row and file of one user (docs/data-ownership.md). */
export const eraseUser = defineOperation({
  name: 'eraseUser',
  summary: 'Erase a user: their messages (or tombstones), uploads, cursors, outbox rows and profile',
  input: z.strictObject({ userId: userIdSchema, mode: z.enum(['delete', 'tombstone']).optional() }),
  actors: ['system'],
  async run(ctx, _actor, input): Promise<ErasureReport> {
    return erase(ctx.state, input.userId, { mode: input.mode });
  },
});

/** `chat.api.verifyErasure` (and `banter doctor --verify-erasure ID`): what is left of a user. */
export const verifyErasure = defineOperation({
  name: 'verifyErasure',
  summary: 'Scan every table and the file storage for what remains of a user',
  input: z.strictObject({ userId: userIdSchema }),
  actors: ['system'],
  async run(ctx, _actor, input): Promise<ErasureVerification> {
    return verify(ctx.state, input.userId);
  },
});

/** `chat.api.exportUser` (and `banter export-user ID`): everything of one user, for a GDPR access request. */
export const exportUser = defineOperation({
  name: 'exportUser',
  summary: 'Everything Banter holds of one user: profile, conversations, messages, uploads (signed links)',
  input: z.strictObject({
    userId: userIdSchema,
    linkSeconds: z
      .number()
      .int()
      .min(60)
      .max(7 * 86_400)
      .optional(),
  }),
  actors: ['system'],
  async run(ctx, _actor, input): Promise<UserExport> {
    return exportRows(ctx.state, input.userId, { linkSeconds: input.linkSeconds });
  },
});

/** `chat.api.applyRetention`: delete messages past their retention now, in bounded batches. */
export const applyRetention = defineOperation({
  name: 'applyRetention',
  summary: 'Delete messages older than the retention (per app or per conversation), in bounded batches',
  input: z.strictObject({
    days: days.nullable().optional(),
    conversationId: idSchema.optional(),
    batchSize: z.number().int().min(1).max(10_000).optional(),
    maxBatches: z.number().int().min(1).max(100_000).optional(),
  }),
  actors: ['system'],
  async run(ctx, _actor, input): Promise<RetentionReport> {
    return retain(ctx.state, input);
  },
});

/** `chat.api.setConversationRetention`: a conversation's own retention in days (null: the app's). */
export const setConversationRetention = defineOperation({
  name: 'setConversationRetention',
  summary: "Set or clear one conversation's own message retention, in days",
  input: z.strictObject({ conversationId: z.string(), days: days.nullable() }),
  actors: ['system'],
  async run(ctx, _actor, input): Promise<{ conversationId: string; days: number | null }> {
    const conversationId = conversationIdOf(input.conversationId);
    const found = await transact(ctx.state.store, (trx) => storeSetRetention(trx, conversationId, input.days));
    if (!found) throw new ApiError('not_found', `conversation ${input.conversationId} not found`);
    return { conversationId, days: input.days };
  },
});
