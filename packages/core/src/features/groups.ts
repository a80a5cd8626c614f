import type { Conversation } from '../protocol/schemas';
import { dropConversation } from '../reducer';
import type { ChatClient } from '../types';
import type { ClientContext } from './context';

type GroupCalls = Pick<ChatClient['conversations'], 'rename' | 'addParticipants' | 'removeParticipant'>;

/**
 * A group's admin calls (the server refuses anyone else: 403), applied to the store once the
 * server answers. Loaded on first use, like moderation.
 *
 * @example
 * await client.conversations.rename(groupId, 'Launch day');
 */
export function createGroups(ctx: ClientContext, insert: (conversation: Conversation) => Conversation): GroupCalls {
  const http = ctx.http;
  return {
    rename: async (id, title) => insert(await http.renameConversation!(id, title)),
    addParticipants: async (id, userIds) => insert(await http.addParticipants!(id, userIds)),
    async removeParticipant(id, userId) {
      await http.removeParticipant!(id, userId);
      // Left: gone from the list. Someone else: the copy without them.
      if (userId === ctx.snapshot().me?.id) ctx.dispatch((s) => dropConversation(s, id));
      else insert(await http.getConversation(id));
    },
  };
}
