import { readResponseSchema } from '@banter/core/protocol';
import { markReadInputSchema, type ReadResponse } from '@banter/core/protocol';
import { markRead as storeMarkRead } from '../store/read';
import { conversationIdOf, userOf } from './conversation-id';
import { defineOperation } from './types';

/** `POST /conversations/:id/read`: move the caller's read cursor forward (never back). */
export const markRead = defineOperation({
  name: 'markRead',
  summary: "Move the caller's read cursor forward to seq (default: the latest message)",
  input: markReadInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: {
    method: 'POST',
    path: '/conversations/:id/read',
    params: { id: 'conversationId' },
    input: 'json?',
    response: readResponseSchema,
    errors: ['not_found', 'rate_limited'],
  },
  async run(ctx, actor, input): Promise<ReadResponse> {
    return storeMarkRead(ctx.state.store, userOf(actor).id, conversationIdOf(input.conversationId), input.seq, ctx.meta);
  },
});
