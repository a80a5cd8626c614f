import type { Message } from '@banter/core/protocol';
import { createUrlSigner } from '../files/signed-url';
import { dispositionFor } from '../files/serve-file';
import type { ServerState } from '../operations/types';
import { readUserRows, type UserRows } from '../store/user-export';
import { uploadKeys } from '../store/uploads';

export interface ExportedUpload {
  id: string;
  conversationId: string;
  messageId: string | null;
  name: string;
  type: string | null;
  size: number;
  createdAt: string;
  /**
   * A signed link to the file, valid for `linkSeconds`: the storage's own (presigned S3 GET) or a
   * Banter link relative to where the chat handler is mounted.
   */
  url: string | null;
}

/** A user's data, as `banter export-user ID` prints it (format `banter.user-export/1`). */
export interface UserExport {
  format: 'banter.user-export/1';
  exportedAt: string;
  user: UserRows['user'];
  conversations: UserRows['conversations'];
  messages: Message[];
  uploads: ExportedUpload[];
}

/**
 * Everything of one user, for a GDPR access request: profile, conversations (with who else is in
 * them), every message they wrote and their uploads as short-lived signed links.
 *
 * @example
 * ```ts
 * const data = await exportUser(state, 'alice', { linkSeconds: 86_400 });
 * ```
 */
export async function exportUser(state: ServerState, userId: string, options: { linkSeconds?: number } = {}): Promise<UserExport> {
  const seconds = options.linkSeconds ?? 86_400;
  const rows = await readUserRows(state.database.kysely, userId);
  const signer = createUrlSigner(state.secret);
  const uploads: ExportedUpload[] = [];
  for (const row of rows.uploads) {
    let url: string | null = null;
    if (row.uploaded_at && row.type) {
      url =
        (await state.storage
          .downloadUrl(uploadKeys(row).original, {
            filename: row.name,
            type: row.type,
            disposition: dispositionFor(row.type),
            expiresInSeconds: seconds,
          })
          .catch(() => null)) ?? signer.sign('GET', `/files/${row.id}/original`, seconds);
    }
    uploads.push({
      id: row.id,
      conversationId: row.conversation_id,
      messageId: row.message_id,
      name: row.name,
      type: row.type,
      size: row.size,
      createdAt: row.created_at.toISOString(),
      url,
    });
  }
  return {
    format: 'banter.user-export/1',
    exportedAt: new Date().toISOString(),
    user: rows.user,
    conversations: rows.conversations,
    messages: rows.messages,
    uploads,
  };
}
