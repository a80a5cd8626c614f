import { createUploadResponseSchema } from '@banter/core/protocol';
import { type CreateUploadResponse, createUploadInputSchema } from '@banter/core/protocol';
import { conversationIdOf, userOf } from './conversation-id';
import { defineOperation } from './types';

/**
 * `POST /conversations/:id/uploads`: announce a file to attach. The answer says where to PUT its
 * bytes: a presigned S3 URL (straight to the bucket) or Banter's own signed URL (local disk).
 */
export const createUpload = defineOperation({
  name: 'createUpload',
  summary: 'Announce a file (name, type, size); PUT its bytes to the returned url, then send a message with attachments: [upload.id]',
  input: createUploadInputSchema,
  actors: ['user', 'host'],
  rateLimit: 'write',
  http: {
    method: 'POST',
    path: '/conversations/:id/uploads',
    params: { id: 'conversationId' },
    input: 'json',
    response: createUploadResponseSchema,
    status: () => 201,
    errors: ['not_found', 'payload_too_large', 'rate_limited'],
  },
  async run(ctx, actor, input): Promise<CreateUploadResponse> {
    return ctx.state.uploads.request(userOf(actor).id, { ...input, conversationId: conversationIdOf(input.conversationId) });
  },
});
