import type { Message } from '@banter/core/protocol';
import { attachmentsOf } from '../store/uploads';
import type { Database } from '../db/create-database';
import type { Uploads } from './uploads';

/**
 * Messages as a participant reads them: each with its files, signed for this read (fresh URLs every
 * time, so a removed participant's last ones simply expire). Messages without files stay as they are.
 *
 * @example
 * ```ts
 * page.messages = await withAttachments(database, uploads, page.messages);
 * ```
 */
export async function withAttachments(database: Database, uploads: Uploads, messages: Message[]): Promise<Message[]> {
  const byMessage = await attachmentsOf(
    database.kysely,
    messages.map((m) => m.id),
  );
  if (byMessage.size === 0) return messages;
  return Promise.all(
    messages.map(async (message) => {
      const rows = byMessage.get(message.id);
      // A deleted message shows no files (they are removed with it).
      if (!rows || message.deletedAt) return message;
      return { ...message, attachments: await uploads.attachments(rows) };
    }),
  );
}
