import type { Message } from '@banter/core/protocol';
import type { Kysely } from 'kysely';
import type { DB, UploadRow } from '../db/types';
import { toMessage } from './map';

/** Everything Banter holds of one user, as rows (ownership/export-user.ts adds links). */
export interface UserRows {
  user: { id: string; name: string | null; avatarUrl: string | null; createdAt: string } | null;
  conversations: Array<{
    id: string;
    kind: 'direct' | 'group';
    title: string | null;
    joinedAt: string;
    lastReadSeq: number;
    participantIds: string[];
  }>;
  messages: Message[];
  uploads: UploadRow[];
}

/**
 * Read every row of one user: their profile, the conversations they are in (with who else is
 * there), every message they wrote (oldest first, deleted ones as the API shows them) and their
 * uploads.
 *
 * @example
 * ```ts
 * const rows = await readUserRows(db.kysely, 'alice');
 * ```
 */
export async function readUserRows(exec: Kysely<DB>, userId: string): Promise<UserRows> {
  const user = await exec.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
  const memberships = await exec
    .selectFrom('participants as p')
    .innerJoin('conversations as c', 'c.id', 'p.conversation_id')
    .select(['c.id', 'c.kind', 'c.title', 'p.joined_at', 'p.last_read_seq'])
    .where('p.user_id', '=', userId)
    .orderBy('p.joined_at')
    .execute();
  const ids = memberships.map((row) => row.id);
  const members = ids.length
    ? await exec
        .selectFrom('participants')
        .select(['conversation_id', 'user_id'])
        .where('conversation_id', 'in', ids)
        .orderBy('user_id')
        .execute()
    : [];
  const messages = await exec
    .selectFrom('messages')
    .selectAll()
    .where('sender_id', '=', userId)
    .orderBy('created_at')
    .orderBy('seq')
    .execute();
  const uploads = await exec.selectFrom('uploads').selectAll().where('uploader_id', '=', userId).orderBy('created_at').execute();
  return {
    user: user ? { id: user.id, name: user.name, avatarUrl: user.avatar_url, createdAt: user.created_at.toISOString() } : null,
    conversations: memberships.map((row) => ({
      id: row.id,
      kind: row.kind,
      title: row.title,
      joinedAt: row.joined_at.toISOString(),
      lastReadSeq: row.last_read_seq,
      participantIds: members.filter((m) => m.conversation_id === row.id).map((m) => m.user_id),
    })),
    messages: messages.map(toMessage),
    uploads,
  };
}
