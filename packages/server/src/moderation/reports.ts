import { EVENTS, type Report, type ReportCreatedEvent, type ReportPage, userChannel } from '@banter/core/protocol';
import { sql } from 'kysely';
import type { Database } from '../db/create-database';
import type { MessageRow } from '../db/types';
import { ApiError } from '../errors/api-error';
import { conversationNotFound, isParticipant } from '../store/conversations';
import { type RequestMeta, type StoreContext, transact } from '../store/context';
import { decodeCursor, encodeCursor } from '../store/cursor';
import { iso, toMessage } from '../store/map';
import { messageNotFound } from '../store/message-lifecycle';

type ReportSummary = Omit<Report, 'message'>;

/**
 * A participant reports a message of another; one report per reporter and message (a repeat
 * answers the first, `created: false`). `report.created` goes to the outbox (the host's webhooks),
 * on the reporter's own channel: nobody else learns of it.
 */
export async function reportMessage(
  ctx: StoreContext,
  input: { reporterId: string; conversationId: string; messageId: string; reason: string },
  meta: RequestMeta,
): Promise<{ report: ReportSummary; created: boolean }> {
  const { reporterId, conversationId, messageId } = input;
  return transact(ctx, async (trx, emit) => {
    if (!(await isParticipant(trx, conversationId, reporterId))) throw conversationNotFound(conversationId);
    const message = await trx
      .selectFrom('messages')
      .select(['id', 'sender_id'])
      .where('id', '=', messageId)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    if (!message) throw messageNotFound(messageId);
    if (message.sender_id === reporterId) throw new ApiError('unprocessable', 'unable to report your own message');
    const inserted = await trx
      .insertInto('reports')
      .values({ message_id: messageId, conversation_id: conversationId, reporter_id: reporterId, reason: input.reason })
      .onConflict((oc) => oc.columns(['message_id', 'reporter_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    const row =
      inserted ??
      (await trx
        .selectFrom('reports')
        .selectAll()
        .where('message_id', '=', messageId)
        .where('reporter_id', '=', reporterId)
        .executeTakeFirstOrThrow());
    const report = toReport(row);
    if (inserted) {
      const payload: ReportCreatedEvent = { reportId: report.id, conversationId, messageId, reporterId, reason: report.reason };
      emit([
        { conversationId: null, channel: userChannel(reporterId), event: EVENTS.reportCreated, payload, requestId: meta.requestId ?? null },
      ]);
    }
    return { report, created: inserted !== undefined };
  });
}

function toReport(row: { id: string; conversation_id: string; message_id: string; reporter_id: string; reason: string; created_at: Date }) {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    messageId: row.message_id,
    reporterId: row.reporter_id,
    reason: row.reason,
    createdAt: iso(row.created_at),
  };
}

/** Reports for the host, newest first, each with the message as it reads now; cursor paging. */
export async function listReports(
  database: Database,
  options: { limit: number; cursor?: string; conversationId?: string },
): Promise<ReportPage> {
  const after = options.cursor === undefined ? null : decodeCursor(options.cursor);
  if (options.cursor !== undefined && !after) {
    throw new ApiError('validation_failed', 'invalid cursor; pass the nextCursor of a previous page', {
      details: [{ path: 'cursor', message: 'not a cursor from this server' }],
    });
  }
  const { rows } = await sql<{
    id: string;
    conversation_id: string;
    message_id: string;
    reporter_id: string;
    reason: string;
    created_at: Date;
    micros: string;
    message: MessageRow | null;
  }>`
    select r.*, ((extract(epoch from r.created_at) * 1000000)::bigint)::text as micros,
      (select row_to_json(m) from (
         select id, conversation_id, seq, sender_id, client_id, body, created_at, edited_at, deleted_at
         from messages where id = r.message_id) m) as message
    from reports r
    where true
      ${options.conversationId ? sql`and r.conversation_id = ${options.conversationId}::uuid` : sql``}
      ${
        after
          ? sql`and (r.created_at, r.id) <
                (timestamptz 'epoch' + ${after.activityMicros}::bigint * interval '1 microsecond', ${after.conversationId}::uuid)`
          : sql``
      }
    order by r.created_at desc, r.id desc
    limit ${options.limit + 1}`.execute(database.kysely);
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  return {
    reports: page.map((row) => ({
      ...toReport({ ...row, created_at: new Date(row.created_at) }),
      message: row.message ? toMessage(row.message) : null,
    })),
    nextCursor: rows.length > options.limit && last ? encodeCursor({ activityMicros: last.micros, conversationId: last.id }) : null,
  };
}
