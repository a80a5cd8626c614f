import { conversationPageSchema, conversationResponseSchema } from '@banter/core/protocol';
import {
  type Conversation,
  type ConversationPage,
  createConversationInputSchema,
  getConversationInputSchema,
  listConversationsInputSchema,
} from '@banter/core/protocol';
import {
  conversationNotFound,
  createConversation as storeCreate,
  getConversation as storeGet,
  listConversations as storeList,
} from '../store/conversations';
import { conversationIdOf, userOf } from './conversation-id';
import { checkMetadata } from './metadata';
import { defineOperation } from './types';

/** `POST /conversations`: open the direct conversation with one other user, or create a group. */
export const createConversation = defineOperation({
  name: 'createConversation',
  summary: 'Open the direct conversation with one other user (no title), or create a group',
  input: createConversationInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'create',
  http: {
    method: 'POST',
    path: '/conversations',
    input: 'json',
    response: conversationResponseSchema,
    status: (out: { created: boolean }) => (out.created ? 201 : 200),
    body: (out: { conversation: Conversation }) => ({ conversation: out.conversation }),
    errors: ['unprocessable', 'rate_limited'],
  },
  async run(ctx, actor, input): Promise<{ conversation: Conversation; created: boolean }> {
    const metadata = checkMetadata(ctx.state.metadata, 'conversation', input.metadata);
    return storeCreate(ctx.state.store, userOf(actor).id, { ...input, metadata }, ctx.meta);
  },
});

/** `GET /conversations`: the caller's conversations, latest activity first. */
export const listConversations = defineOperation({
  name: 'listConversations',
  summary: "The caller's conversations, latest activity first, a page at a time",
  input: listConversationsInputSchema,
  actors: ['user', 'host'],
  http: { method: 'GET', path: '/conversations', input: 'query', response: conversationPageSchema },
  async run(ctx, actor, input): Promise<ConversationPage> {
    return storeList(ctx.state.database, userOf(actor).id, input);
  },
});

/** `GET /conversations/:id`: one conversation as the caller sees it; 404 when they are not in it. */
export const getConversation = defineOperation({
  name: 'getConversation',
  summary: 'One conversation as the caller sees it (their unreadCount and lastReadSeq)',
  input: getConversationInputSchema,
  actors: ['user', 'host'],
  http: {
    method: 'GET',
    path: '/conversations/:id',
    params: { id: 'conversationId' },
    input: 'none',
    response: conversationResponseSchema,
    body: (conversation: Conversation) => ({ conversation }),
    errors: ['not_found'],
  },
  async run(ctx, actor, input): Promise<Conversation> {
    const id = conversationIdOf(input.conversationId);
    const conversation = await storeGet(ctx.state.database, userOf(actor).id, id);
    if (!conversation) throw conversationNotFound(id);
    return conversation;
  },
});
