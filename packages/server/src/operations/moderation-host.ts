import {
  reportResponseSchema,
  slowModeResponseSchema,
  type BanResponse,
  banInputSchema,
  idSchema,
  listReportsInputSchema,
  type ReportPage,
  type ReportResponse,
  reportMessageInputSchema,
  type SlowModeResponse,
  slowModeInputSchema,
  unbanInputSchema,
} from '@banter/core/protocol';
import { ApiError } from '../errors/api-error';
import { disconnectUser } from '../realtime/disconnect-user';
import { isConversationAdmin } from '../moderation/admins';
import { banUser as storeBan, unbanUser as storeUnban } from '../moderation/bans';
import { listReports as storeListReports, reportMessage as storeReport } from '../moderation/reports';
import { setSlowMode as storeSetSlowMode } from '../moderation/slow-mode';
import { conversationNotFound, isParticipant } from '../store/conversations';
import { messageNotFound } from '../store/message-lifecycle';
import { conversationIdOf, userOf } from './conversation-id';
import { defineOperation } from './types';

/** Reports, bans and slow mode (docs/moderation.md): what users report and what the host decides. */

/** `POST /conversations/:id/messages/:messageId/reports { reason }`: report another's message to the host. */
export const reportMessage = defineOperation({
  name: 'reportMessage',
  summary: "Report another participant's message to the host (one report per message and reporter; a repeat answers 200)",
  input: reportMessageInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: {
    method: 'POST',
    path: '/conversations/:id/messages/:messageId/reports',
    params: { id: 'conversationId' },
    input: 'json',
    status: (out: { created: boolean }) => (out.created ? 201 : 200),
    body: (out: ReportResponse) => ({ report: out.report }),
    errors: ['not_found', 'unprocessable', 'rate_limited'],
    response: reportResponseSchema,
  },
  async run(ctx, actor, input): Promise<ReportResponse & { created: boolean }> {
    const conversationId = conversationIdOf(input.conversationId);
    if (!idSchema.safeParse(input.messageId).success) throw messageNotFound(input.messageId);
    const reporterId = userOf(actor).id;
    return storeReport(
      ctx.state.store,
      { reporterId, conversationId, messageId: input.messageId.toLowerCase(), reason: input.reason },
      ctx.meta,
    );
  },
});

/** `chat.api.listReports()`: every report, newest first (the host's moderation queue). */
export const listReports = defineOperation({
  name: 'listReports',
  summary: 'Reports of messages, newest first, with the message as it reads now (host only)',
  input: listReportsInputSchema,
  actors: ['system'],
  async run(ctx, _actor, input): Promise<ReportPage> {
    const conversationId = input.conversationId === undefined ? undefined : conversationIdOf(input.conversationId);
    return storeListReports(ctx.state.database, { limit: input.limit, cursor: input.cursor, conversationId });
  },
});

/** `chat.api.banUser()`: the user's tokens then work for nothing (app) or nothing in that conversation. */
export const banUser = defineOperation({
  name: 'banUser',
  summary: 'Ban a user from the app or one conversation: every operation and channel there answers 403 (host only)',
  input: banInputSchema,
  actors: ['system'],
  async run(ctx, _actor, input): Promise<BanResponse> {
    const conversationId = input.conversationId === undefined ? null : conversationIdOf(input.conversationId);
    const result = await storeBan(ctx.state.store, { userId: input.userId, conversationId, reason: input.reason });
    ctx.state.moderation?.banChanged(input.userId, true);
    // An app-wide ban also ends the user's live connections (their token is refused from now on anyway).
    if (conversationId === null) await disconnectUser(ctx.state.broadcaster, input.userId).catch(() => false);
    return result;
  },
});

/** `chat.api.unbanUser()`. */
export const unbanUser = defineOperation({
  name: 'unbanUser',
  summary: 'Lift a ban from the app or one conversation (host only)',
  input: unbanInputSchema,
  actors: ['system'],
  async run(ctx, _actor, input): Promise<BanResponse> {
    const conversationId = input.conversationId === undefined ? null : conversationIdOf(input.conversationId);
    const result = await storeUnban(ctx.state.store, { userId: input.userId, conversationId });
    ctx.state.moderation?.banChanged(input.userId, false);
    return result;
  },
});

/** `PUT /conversations/:id/slow-mode { seconds }`: a conversation admin (or the host) sets it; 0 turns it off. */
export const setSlowMode = defineOperation({
  name: 'setSlowMode',
  summary: 'Slow mode: one message per N seconds per member (admins exempt); 0 turns it off. Admins and the host only',
  input: slowModeInputSchema,
  actors: ['user', 'host', 'system'],
  rateLimit: 'write',
  http: {
    method: 'PUT',
    path: '/conversations/:id/slow-mode',
    params: { id: 'conversationId' },
    input: 'json',
    errors: ['not_found', 'forbidden', 'rate_limited'],
    response: slowModeResponseSchema,
  },
  async run(ctx, actor, input): Promise<SlowModeResponse> {
    const conversationId = conversationIdOf(input.conversationId);
    if (actor.kind !== 'system') {
      const exec = ctx.state.database.kysely;
      const userId = userOf(actor).id;
      if (!(await isParticipant(exec, conversationId, userId))) throw conversationNotFound(conversationId);
      if (!(await isConversationAdmin(exec, conversationId, userId))) {
        throw new ApiError('forbidden', 'only a conversation admin can set slow mode', { details: { reason: 'not_admin' } });
      }
    }
    return storeSetSlowMode(ctx.state.store, conversationId, input.seconds, ctx.meta);
  },
});
