import { type Kysely, sql, type Transaction } from 'kysely';
import type { DB, UploadRow } from '../db/types';

type Executor = Kysely<DB> | Transaction<DB>;

/** Where an upload's bytes and its thumbnail live in the file storage. */
export const uploadKeys = (row: Pick<UploadRow, 'conversation_id' | 'id'>) => ({
  original: `${row.conversation_id}/${row.id}/original`,
  thumbnail: `${row.conversation_id}/${row.id}/thumbnail`,
});

/**
 * Record an upload a participant asked for; undefined when `uploaderId` is not a participant of
 * the conversation (or there is no such conversation), so the caller answers 404 either way.
 */
export async function insertUpload(
  exec: Executor,
  input: { conversationId: string; uploaderId: string; name: string; declaredType: string; size: number },
): Promise<UploadRow | undefined> {
  const result = await sql<UploadRow>`
    insert into uploads (conversation_id, uploader_id, name, declared_type, size)
    select ${input.conversationId}, ${input.uploaderId}, ${input.name}, ${input.declaredType}, ${input.size}
    where exists (select 1 from participants where conversation_id = ${input.conversationId} and user_id = ${input.uploaderId})
    returning *`.execute(exec);
  return result.rows[0];
}

export async function getUpload(exec: Executor, id: string): Promise<UploadRow | undefined> {
  return exec.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Uploads of one user not attached to a message yet (the per-user cap counts them). */
export async function countPendingUploads(exec: Executor, uploaderId: string): Promise<number> {
  const row = await exec
    .selectFrom('uploads')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('uploader_id', '=', uploaderId)
    .where('message_id', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The checked file's facts: its sniffed type and, for an image, its size and thumbnail. */
export async function markUploaded(
  exec: Executor,
  id: string,
  file: { type: string; image: { width: number; height: number; color: string; thumbnail: { width: number; height: number } } | null },
): Promise<UploadRow> {
  return exec
    .updateTable('uploads')
    .set({
      type: file.type,
      width: file.image?.width ?? null,
      height: file.image?.height ?? null,
      color: file.image?.color ?? null,
      thumbnail_width: file.image?.thumbnail.width ?? null,
      thumbnail_height: file.image?.thumbnail.height ?? null,
      uploaded_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The attachments of these messages, in each message's order. */
export async function attachmentsOf(exec: Executor, messageIds: readonly string[]): Promise<Map<string, UploadRow[]>> {
  const byMessage = new Map<string, UploadRow[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await exec
    .selectFrom('uploads')
    .selectAll()
    .where('message_id', 'in', [...messageIds])
    .orderBy('message_id')
    .orderBy('position')
    .execute();
  for (const row of rows) {
    const list = byMessage.get(row.message_id!) ?? [];
    list.push(row);
    byMessage.set(row.message_id!, list);
  }
  return byMessage;
}

/**
 * Take (delete and return) uploads never attached and older than `before`. Rows go first, files
 * after: a message can no longer attach an upload whose file is being removed.
 */
export async function takeStaleUploads(exec: Executor, before: Date, limit: number): Promise<UploadRow[]> {
  const result = await sql<UploadRow>`
    delete from uploads
    where id in (select id from uploads where message_id is null and created_at < ${before} order by created_at limit ${limit})
      and message_id is null
    returning *`.execute(exec);
  return result.rows;
}
