import { threadPageSchema } from '@banter/core/protocol';
import { idSchema, listThreadInputSchema, type ThreadPage } from '@banter/core/protocol';
import { messageNotFound } from '../store/message-lifecycle';
import { listThread as storeListThread } from '../store/threads';
import { conversationIdOf, userOf } from './conversation-id';
import { presentMessages } from './present';
import { defineOperation } from './types';

/** `GET /conversations/:id/messages/:messageId/thread`: a page of the thread's replies, with its root. */
export const listThread = defineOperation({
  name: 'listThread',
  summary: "A page of a thread's replies in ascending seq (latest, before or after a seq), with the root message",
  input: listThreadInputSchema,
  actors: ['user', 'host'],
  http: {
    method: 'GET',
    path: '/conversations/:id/messages/:messageId/thread',
    params: { id: 'conversationId' },
    input: 'query',
    response: threadPageSchema,
    errors: ['not_found'],
  },
  async run(ctx, actor, input): Promise<ThreadPage> {
    const conversationId = conversationIdOf(input.conversationId);
    if (!idSchema.safeParse(input.messageId).success) throw messageNotFound(input.messageId);
    const viewer = userOf(actor).id;
    const { limit, before, after } = input;
    const page = await storeListThread(ctx.state.database.kysely, viewer, conversationId, input.messageId.toLowerCase(), {
      limit,
      before,
      after,
    });
    const [root, ...messages] = await presentMessages(ctx.state, [page.root, ...page.messages], viewer);
    return { root: root!, messages, hasMore: page.hasMore };
  },
});
