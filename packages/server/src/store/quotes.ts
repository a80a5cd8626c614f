import { LIMITS, type Message, type QuotedMessage } from '@banter/core/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/types';
import { iso } from './map';

type Executor = Kysely<DB> | Transaction<DB>;

/**
 * Messages with their quoted messages filled in (`replyTo`): an excerpt of the body, '' once that
 * message was deleted, `senderId` null when it no longer exists. Only messages of the same
 * conversation can be quoted (checked on send), so this reads nothing the viewer could not.
 *
 * @example
 * ```ts
 * page.messages = await withQuotes(db.kysely, page.messages);
 * ```
 */
export async function withQuotes(exec: Executor, messages: Message[]): Promise<Message[]> {
  const ids = [...new Set(messages.flatMap((m) => (m.replyTo ? [m.replyTo.id] : [])))];
  if (ids.length === 0) return messages;
  const rows = await exec
    .selectFrom('messages')
    .select(['id', 'conversation_id', 'seq', 'sender_id', 'body', 'deleted_at'])
    .where('id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return messages.map((m) => {
    if (!m.replyTo) return m;
    const row = byId.get(m.replyTo.id);
    if (!row || row.conversation_id !== m.conversationId) return m;
    return { ...m, replyTo: quoteOf(row) };
  });
}

/** A message as a reply quotes it: its id and seq, who sent it, an excerpt ('' once deleted). */
export function quoteOf(row: {
  id: string;
  seq: number;
  sender_id: string | null;
  body: string;
  deleted_at: Date | string | null;
}): QuotedMessage {
  return {
    id: row.id,
    seq: row.seq,
    senderId: row.sender_id,
    body: row.deleted_at === null ? excerpt(row.body) : '',
    deletedAt: row.deleted_at === null ? null : iso(row.deleted_at),
  };
}

/** At most `LIMITS.quoteExcerpt` characters, never half of a surrogate pair. */
export function excerpt(body: string): string {
  if (body.length <= LIMITS.quoteExcerpt) return body;
  const cut = body.slice(0, LIMITS.quoteExcerpt);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}
