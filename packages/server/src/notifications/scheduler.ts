import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/types';
import { hostEvent } from '../outbox/host-event';
import { type StoreContext, transact } from '../store/context';

/** `notification.due`'s payload: one per (user, conversation) batch of unread messages. */
export interface NotificationDue {
  userId: string;
  conversationId: string;
  /** Unread messages from others in the conversation (not only this batch's). */
  unreadCount: number;
  /** The batch: the first and last seq of messages not notified before. */
  firstUnreadSeq: number;
  lastSeq: number;
  /** The batch's latest messages, oldest first (at most 3, bodies cut to 140 characters). */
  previews: NotificationPreview[];
}

export interface NotificationPreview {
  messageId: string;
  seq: number;
  senderId: string;
  senderName: string | null;
  body: string;
  createdAt: string;
}

export interface SchedulerOptions {
  /** Minutes unread before a notification, unless the user chose otherwise. */
  delayMinutes: number;
  /** Participants per transaction. */
  batchSize?: number;
  /** Conversations quiet for longer are not looked at (a batch that old is never notified). */
  lookbackHours?: number;
  /** Called in the transaction of each notification (email and push deliveries). */
  onDue?: (trx: Kysely<DB>, due: NotificationDue, settings: { email: boolean; push: boolean }) => Promise<void>;
}

export const PREVIEW_COUNT = 3;
export const PREVIEW_LENGTH = 140;

interface Candidate {
  conversation_id: string;
  user_id: string;
  last_read_seq: number;
  last_seq: number;
  last_sent_at: Date | string | null;
  first_seq: number | null;
  email: boolean | null;
  push: boolean | null;
}

// A message waits for `p.user_id` when another sent it, it is not deleted, neither blocked the
// other, and the user has not sent since (sending is being there).
const waiting = sql`
  m.conversation_id = p.conversation_id and m.sender_id <> p.user_id and m.deleted_at is null
  and (p.last_sent_at is null or m.created_at > p.last_sent_at)
  and not exists (select 1 from user_blocks b
    where (b.blocker_id = p.user_id and b.blocked_id = m.sender_id) or (b.blocker_id = m.sender_id and b.blocked_id = p.user_id))`;

/**
 * One round of the scheduler: every participant whose oldest message not yet read nor notified
 * waited at least their delay gets ONE `notification.due` event (a host event: webhooks) for all
 * of them, and `notified_through_seq` moves to the conversation's last seq, so the next batch
 * holds only later messages and a read stops it. Muted participants get nothing. Rows are claimed
 * with `FOR UPDATE SKIP LOCKED`: instances polling at once split the work. Returns how many were
 * emitted.
 *
 * @example
 * ```ts
 * const emitted = await runDueNotifications(store, new Date(), { delayMinutes: 5 });
 * ```
 */
export async function runDueNotifications(ctx: StoreContext, now: Date, options: SchedulerOptions): Promise<number> {
  const batchSize = options.batchSize ?? 100;
  const lookbackHours = options.lookbackHours ?? 48;
  let emitted = 0;
  for (;;) {
    const claimed = await transact(ctx, async (trx, emit) => {
      const { rows } = await sql<Candidate>`
        select p.conversation_id, p.user_id, p.last_read_seq, c.last_seq, p.last_sent_at, f.seq as first_seq, s.email, s.push
        from conversations c
        join participants p on p.conversation_id = c.id
        left join notification_settings s on s.user_id = p.user_id
        left join lateral (
          select m.seq, m.created_at from messages m
          where ${waiting} and m.seq > greatest(p.last_read_seq, p.notified_through_seq) and m.seq <= c.last_seq
          order by m.seq limit 1
        ) f on true
        where c.last_message_at > ${now.toISOString()}::timestamptz - make_interval(hours => ${lookbackHours}::int)
          and c.last_seq > greatest(p.last_read_seq, p.notified_through_seq)
          and not p.muted
          and (f.seq is null or f.created_at <= ${now.toISOString()}::timestamptz
            - make_interval(mins => coalesce(s.delay_minutes, ${options.delayMinutes}::int)))
        order by c.last_message_at
        limit ${batchSize}
        for update of p skip locked`.execute(trx);
      for (const row of rows) {
        if (row.first_seq !== null) {
          const due = await batchOf(trx, row);
          emit([hostEvent('notification.due', { ...due }, { conversationId: row.conversation_id })]);
          await options.onDue?.(trx, due, { email: row.email ?? true, push: row.push ?? true });
          emitted++;
        }
        // Nothing waiting (own, deleted or blocked messages) also moves on: the round does not look again.
        await trx
          .updateTable('participants')
          .set({ notified_through_seq: row.last_seq })
          .where('conversation_id', '=', row.conversation_id)
          .where('user_id', '=', row.user_id)
          .execute();
      }
      return rows.length;
    });
    if (claimed < batchSize) return emitted;
  }
}

async function batchOf(trx: Kysely<DB>, row: Candidate): Promise<NotificationDue> {
  const p = sql`(select ${row.conversation_id}::uuid as conversation_id, ${row.user_id}::text as user_id,
    ${row.last_sent_at === null ? null : new Date(row.last_sent_at).toISOString()}::timestamptz as last_sent_at) p`;
  const { rows: counted } = await sql<{ unread: number; last: number }>`
    select count(*)::int as unread, max(m.seq)::int as last from messages m, ${p}
    where ${waiting} and m.seq > ${row.last_read_seq}::int and m.seq <= ${row.last_seq}::int`.execute(trx);
  const { rows: latest } = await sql<{ id: string; seq: number; sender_id: string; name: string | null; body: string; created_at: Date }>`
    select m.id, m.seq, m.sender_id, u.name, left(m.body, ${PREVIEW_LENGTH}::int) as body, m.created_at
    from messages m cross join ${p} left join users u on u.id = m.sender_id
    where ${waiting} and m.seq >= ${row.first_seq}::int and m.seq <= ${row.last_seq}::int
    order by m.seq desc limit ${PREVIEW_COUNT}::int`.execute(trx);
  return {
    userId: row.user_id,
    conversationId: row.conversation_id,
    unreadCount: counted[0]?.unread ?? 0,
    firstUnreadSeq: row.first_seq!,
    lastSeq: counted[0]?.last ?? row.first_seq!,
    previews: latest.reverse().map((m) => ({
      messageId: m.id,
      seq: m.seq,
      senderId: m.sender_id,
      senderName: m.name,
      body: m.body,
      createdAt: new Date(m.created_at).toISOString(),
    })),
  };
}
