import { messagePageSchema, messageResponseSchema } from '@banter/core/protocol';
import {
  hostSendMessageInputSchema,
  listMessagesInputSchema,
  type Message,
  type MessagePage,
  sendMessageInputSchema,
} from '@banter/core/protocol';
import { ApiError } from '../errors/api-error';
import { applyBeforeSend } from '../moderation/before-send';
import { conversationNotFound } from '../store/conversations';
import { listMessages as storeList, sendMessage as storeSend } from '../store/messages';
import { withAttachments } from '../files/with-attachments';
import { resolveReferences } from '../store/message-refs';
import { withQuotes } from '../store/quotes';
import { conversationIdOf, userOf } from './conversation-id';
import { checkMetadata } from './metadata';
import { presentMessages } from './present';
import { defineOperation } from './types';

/**
 * `POST /conversations/:id/messages`: store a message and queue its events. A `system` actor need
 * not be a participant (welcome notes, bots); a repeat of a clientId returns the first message.
 */
export const sendMessage = defineOperation({
  name: 'sendMessage',
  summary: 'Send a message; a repeat of the same clientId returns the first message (200)',
  input: sendMessageInputSchema,
  hostInput: hostSendMessageInputSchema,
  actors: ['user', 'host', 'system'],
  rateLimit: 'send',
  http: {
    method: 'POST',
    path: '/conversations/:id/messages',
    params: { id: 'conversationId' },
    input: 'json',
    response: messageResponseSchema,
    status: (out: { created: boolean }) => (out.created ? 201 : 200),
    body: (out: { message: Message }) => ({ message: out.message }),
    errors: ['not_found', 'forbidden', 'unprocessable', 'rate_limited'],
  },
  async run(ctx, actor, input): Promise<{ message: Message; created: boolean }> {
    const sender = userOf(actor);
    const conversationId = conversationIdOf(input.conversationId);
    // The host may lower the protocol's limit (`limits.messageLength`); the schema holds the protocol's.
    const max = ctx.state.limits.messageLength;
    if (input.body.length > max) {
      throw new ApiError('validation_failed', `invalid input; body: messages are at most ${max} characters`, {
        details: [{ path: 'body', message: `messages are at most ${max} characters` }],
      });
    }
    // The host's policy may refuse or rewrite the body (moderation/before-send.ts).
    const body = applyBeforeSend(
      ctx.state.moderation?.beforeSend,
      { kind: 'send', conversationId, senderId: sender.id, body: input.body, via: ctx.via },
      max,
    );
    if (input.showInChannel !== undefined && input.threadId === undefined) {
      throw new ApiError('validation_failed', 'invalid input; showInChannel: only a thread reply (threadId) takes showInChannel', {
        details: [{ path: 'showInChannel', message: 'only a thread reply (threadId) takes showInChannel' }],
      });
    }
    // Checked before anything is written: a refused value stores nothing.
    const metadata = checkMetadata(ctx.state.metadata, 'message', input.metadata);
    const system = sender.kind === 'system';
    const refs = await resolveReferences(ctx.state.database.kysely, conversationId, sender.id, system, input);
    const wanted = input.attachments ?? [];
    // Checked before the send (the sender's own uploads, this conversation, in storage), taken in it.
    const files = wanted.length > 0 ? await ctx.state.uploads.prepare(sender.id, conversationId, wanted) : [];
    const result = await storeSend(
      ctx.state.store,
      {
        conversationId,
        senderId: sender.id,
        body,
        clientId: input.clientId ?? null,
        system,
        slowMode: sender.kind === 'user',
        attachments: files.map((file) => file.id),
        refs,
        showInChannel: input.showInChannel,
        metadata,
      },
      ctx.meta,
    );
    if (result.created) ctx.state.onMessageSent?.(ctx.via);
    // A new message has no reactions: files and the quote only (no extra round trip on the hot path).
    const [withFiles] = await withAttachments(ctx.state.database, ctx.state.uploads, [result.message]);
    const [message] = await withQuotes(ctx.state.database.kysely, [withFiles!]);
    return { ...result, message: message! };
  },
});

/** `GET /conversations/:id/messages`: a page of history, always in ascending seq. */
export const listMessages = defineOperation({
  name: 'listMessages',
  summary: 'A page of history in ascending seq: the latest, before a seq, or after one (gap filling)',
  input: listMessagesInputSchema,
  actors: ['user', 'host'],
  http: {
    method: 'GET',
    path: '/conversations/:id/messages',
    params: { id: 'conversationId' },
    input: 'query',
    response: messagePageSchema,
    errors: ['not_found'],
  },
  async run(ctx, actor, input): Promise<MessagePage> {
    const conversationId = conversationIdOf(input.conversationId);
    const { limit, before, after } = input;
    const page = await storeList(ctx.state.database, userOf(actor).id, conversationId, { limit, before, after });
    if (!page) throw conversationNotFound(conversationId);
    return { ...page, messages: await presentMessages(ctx.state, page.messages, userOf(actor).id) };
  },
});
