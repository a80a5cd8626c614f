import type { Message } from '@banter/core/protocol';
import { withAttachments } from '../files/with-attachments';
import { withQuotes } from '../store/quotes';
import { withReactions } from '../store/reactions';
import type { ServerState } from './types';

/**
 * Messages as `viewerId` reads them: files signed for this read, reaction summaries, quoted
 * messages. Every route that answers with messages passes them through here.
 *
 * @example
 * ```ts
 * const messages = await presentMessages(ctx.state, page.messages, actor.id);
 * ```
 */
export async function presentMessages(state: ServerState, messages: Message[], viewerId: string): Promise<Message[]> {
  if (messages.length === 0) return messages;
  const withFiles = await withAttachments(state.database, state.uploads, messages);
  const withReacted = await withReactions(state.database.kysely, withFiles, viewerId);
  return withQuotes(state.database.kysely, withReacted);
}
