import { EVENTS, type Message, type MessageCreatedEvent, USER_CHANNEL_PREFIX } from '@banter/core/protocol';
import { type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/create-database';
import { OUTBOX_NOTIFY_CHANNEL } from './enqueue';

/** Realtime services cap a payload near 10 KB; beyond this the event carries only the seq. */
const MAX_EVENT_PAYLOAD_BYTES = 9000;

/** What the `message.created` rows of one send need to know. */
export interface MessageCreatedRows {
  conversationId: string;
  senderId: string;
  clientId: string | null;
  body: string;
  /** Fields of a reply, a thread reply or a mention (already checked), merged into the event's message. */
  extra?: Partial<Message>;
  /** The sender's own socket: its row skips it. */
  socketId?: string | null;
  requestId?: string | null;
}

/**
 * The outbox part of the send statement (store/messages.ts): CTEs that build the `message.created`
 * payload from the inserted `msg` row and write one outbox row per participant in `parts`, and on
 * PostgreSQL a `pg_notify` sent at commit. The send stays ONE statement (one round trip); the
 * events it writes are decided here, next to the other outbox inserts.
 *
 * @example
 * ```ts
 * const events = messageCreatedRows(db, { conversationId, senderId, clientId, body, socketId, requestId });
 * sql`with conv as (...), msg as (...), parts as (...), ${events.ctes} select msg.* ${events.columns} from msg`;
 * ```
 */
export function messageCreatedRows(db: Database, rows: MessageCreatedRows): { ctes: RawBuilder<unknown>; columns: RawBuilder<unknown> } {
  const inline = eventFits(rows);
  const extra = JSON.stringify(rows.extra ?? {});
  const at = (column: RawBuilder<unknown>) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const notify =
    db.dialect === 'postgres'
      ? // Sent at commit, so other instances' dispatchers wake only for committed rows.
        sql`, notify as (select pg_notify(${OUTBOX_NOTIFY_CHANNEL}, ${db.schema}::text) from msg)`
      : sql``;
  // thread_event: a thread reply moved its root's replyCount (the send statement's `root` CTE), so
  // each participant also gets `thread.updated`, after the `message.created` rows.
  const ctes = sql`event as (
      select jsonb_build_object('conversationId', m.conversation_id, 'seq', m.seq)
        || case when ${inline}::boolean then jsonb_build_object('message', jsonb_build_object(
             'id', m.id, 'conversationId', m.conversation_id, 'seq', m.seq, 'senderId', m.sender_id,
             'clientId', m.client_id, 'body', m.body,
             'createdAt', ${at(sql`m.created_at`)},
             'editedAt', null, 'deletedAt', null, 'version', 1) || ${extra}::jsonb)
           else '{}'::jsonb end as payload
      from msg m
    ),
    thread_event as (
      select jsonb_build_object('conversationId', m.conversation_id, 'messageId', r.id, 'seq', r.seq,
        'replyCount', r.reply_count, 'lastReplyAt', ${at(sql`r.last_reply_at`)}, 'replySeq', m.seq) as payload
      from root r cross join msg m
    ),
    outbox_rows as (
      insert into ${sql.id(db.schema, 'outbox')} (conversation_id, channel, event, payload, socket_id, request_id)
      select ${rows.conversationId}::uuid, ${USER_CHANNEL_PREFIX} || parts.user_id, e.event, e.payload,
             case when e.k = 1 and parts.user_id = ${rows.senderId} then ${rows.socketId ?? null}::text end, ${rows.requestId ?? null}::text
      from parts cross join (
        select 1 as k, ${EVENTS.messageCreated}::text as event, payload from event
        union all select 2, ${EVENTS.threadUpdated}::text, payload from thread_event) e
      order by e.k, parts.user_id
      returning id, conversation_id, channel, event, payload, socket_id, request_id, attempts
    )
    ${notify}`;
  // The rows written, for the dispatcher's fast path after the commit (the `events` column).
  const written = sql`, (select coalesce(json_agg(outbox_rows order by id), '[]'::json) from outbox_rows) as events`;
  // The notify CTE runs only when selected from; the caller drops this column from the row.
  const columns = db.dialect === 'postgres' ? sql`${written}, (select count(*) from notify) as notified` : written;
  return { ctes, columns };
}

/**
 * Realtime services cap a payload near 10 KB: decided here, with JSON.stringify's measure, on a
 * stand-in message of the largest seq and the same fields (a uuid and an ISO date have fixed lengths).
 */
function eventFits(rows: MessageCreatedRows): boolean {
  const message: Message = {
    id: '00000000-0000-0000-0000-000000000000',
    conversationId: rows.conversationId,
    seq: 2147483647,
    senderId: rows.senderId,
    clientId: rows.clientId,
    body: rows.body,
    createdAt: '2000-01-01T00:00:00.000Z',
    editedAt: null,
    deletedAt: null,
    version: 1,
    ...rows.extra,
  };
  const payload: MessageCreatedEvent = { conversationId: rows.conversationId, seq: message.seq, message };
  return Buffer.byteLength(JSON.stringify(payload)) <= MAX_EVENT_PAYLOAD_BYTES;
}
