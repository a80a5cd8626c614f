import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { ApiError } from '../errors/api-error';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';
import type { ChatApi } from './api';

// Issue 13: the HTTP route and chat.api run one operation definition, so the same bad input is
// refused with the same code and the same text through both.
describeEachDatabase('one rule through HTTP and chat.api', (target) => {
  const t = useTestServer(target, { rateLimits: false });
  let alice: string;
  let bob: string;
  let token: string;
  let conversationId: string;
  let messageId: string;

  beforeAll(async () => {
    [alice, bob] = [t().userId('par-a'), t().userId('par-b')];
    token = await t().token(alice);
    conversationId = (await t().server.api.createConversation({ createdBy: alice, participantIds: [bob] })).conversation.id;
    messageId = (await t().server.api.call('sendMessage', alice, { conversationId, body: 'to edit' })).message.id;
  });

  const unknownId = randomUUID();
  interface Case {
    name: string;
    http: () => [method: string, path: string, body?: unknown];
    api: (api: ChatApi) => Promise<unknown>;
    code: string;
  }
  const cases: Case[] = [
    {
      name: 'a message of 4,001 characters',
      http: () => ['POST', `/conversations/${conversationId}/messages`, { clientId: randomUUID(), body: 'x'.repeat(4001) }],
      api: (api) => api.sendMessage({ conversationId, senderId: alice, body: 'x'.repeat(4001) }),
      code: 'validation_failed',
    },
    {
      name: 'a blank message',
      http: () => ['POST', `/conversations/${conversationId}/messages`, { clientId: randomUUID(), body: ' \n ' }],
      api: (api) => api.sendMessage({ conversationId, senderId: alice, body: ' \n ' }),
      code: 'validation_failed',
    },
    {
      name: 'a message to a conversation id that is not a UUID',
      http: () => ['POST', '/conversations/42/messages', { clientId: randomUUID(), body: 'hi' }],
      api: (api) => api.sendMessage({ conversationId: '42', senderId: alice, body: 'hi' }),
      code: 'not_found',
    },
    {
      name: 'a message to a conversation the sender is not in',
      http: () => ['POST', `/conversations/${unknownId}/messages`, { clientId: randomUUID(), body: 'hi' }],
      api: (api) => api.sendMessage({ conversationId: unknownId, senderId: alice, body: 'hi' }),
      code: 'not_found',
    },
    {
      name: 'a reply quoting a message that is not in the conversation',
      http: () => ['POST', `/conversations/${conversationId}/messages`, { clientId: randomUUID(), body: 'hi', replyTo: unknownId }],
      api: (api) => api.call('sendMessage', alice, { conversationId, body: 'hi', replyTo: unknownId }),
      code: 'unprocessable',
    },
    {
      name: 'the thread of an unknown message',
      http: () => ['GET', `/conversations/${conversationId}/messages/${unknownId}/thread`],
      api: (api) => api.call('listThread', alice, { conversationId, messageId: unknownId }),
      code: 'not_found',
    },
    {
      name: 'an edit to a blank body',
      http: () => ['PATCH', `/conversations/${conversationId}/messages/${messageId}`, { body: ' ' }],
      api: (api) => api.call('editMessage', alice, { conversationId, messageId, body: ' ' }),
      code: 'validation_failed',
    },
    {
      name: 'a delete of a message id that is not a UUID',
      http: () => ['DELETE', `/conversations/${conversationId}/messages/42`],
      api: (api) => api.call('deleteMessage', alice, { conversationId, messageId: '42' }),
      code: 'not_found',
    },
    {
      name: 'a title of 201 characters',
      http: () => ['POST', '/conversations', { participantIds: [bob], title: 't'.repeat(201) }],
      api: (api) => api.createConversation({ createdBy: alice, participantIds: [bob], title: 't'.repeat(201) }),
      code: 'validation_failed',
    },
    {
      name: 'a participant id with a space',
      http: () => ['POST', '/conversations', { participantIds: ['has space'] }],
      api: (api) => api.createConversation({ createdBy: alice, participantIds: ['has space'] }),
      code: 'validation_failed',
    },
    {
      name: 'only oneself as participant',
      http: () => ['POST', '/conversations', { participantIds: [alice] }],
      api: (api) => api.createConversation({ createdBy: alice, participantIds: [alice] }),
      code: 'unprocessable',
    },
    {
      name: 'a negative read seq',
      http: () => ['POST', `/conversations/${conversationId}/read`, { seq: -1 }],
      api: (api) => api.markRead(alice, conversationId, -1),
      code: 'validation_failed',
    },
    {
      name: 'a fractional read seq',
      http: () => ['POST', `/conversations/${conversationId}/read`, { seq: 1.5 }],
      api: (api) => api.markRead(alice, conversationId, 1.5),
      code: 'validation_failed',
    },
    {
      name: 'a history page of 1,000',
      http: () => ['GET', `/conversations/${conversationId}/messages?limit=1000`],
      api: (api) => api.listMessages(alice, conversationId, { limit: 1000 }),
      code: 'validation_failed',
    },
    {
      name: 'a conversation page of 0',
      http: () => ['GET', '/conversations?limit=0'],
      api: (api) => api.listConversations(alice, { limit: 0 }),
      code: 'validation_failed',
    },
    {
      name: 'a forged cursor',
      http: () => ['GET', '/conversations?cursor=eyJ4IjoxfQ'],
      api: (api) => api.listConversations(alice, { cursor: 'eyJ4IjoxfQ' }),
      code: 'validation_failed',
    },
    {
      name: 'a search of 201 characters',
      http: () => ['GET', `/search?q=${'q'.repeat(201)}`],
      api: (api) => api.search(alice, 'q'.repeat(201)),
      code: 'validation_failed',
    },
    {
      name: 'a forged search cursor',
      http: () => ['GET', '/search?q=hi&cursor=eyJ4IjoxfQ'],
      api: (api) => api.search(alice, 'hi', { cursor: 'eyJ4IjoxfQ' }),
      code: 'validation_failed',
    },
    {
      name: 'a search of a conversation one is not in',
      http: () => ['GET', `/search?q=hi&conversationId=${unknownId}`],
      api: (api) => api.search(alice, 'hi', { conversationId: unknownId }),
      code: 'not_found',
    },
  ];

  it.each(cases)('$name: $code, the same text', async ({ http, api, code }) => {
    const [method, path, body] = http();
    const res = await t().call(method, path, { token, body });
    const thrown = await api(t().server.api).then(
      () => null,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(ApiError);
    const viaApi = { code: (thrown as ApiError).code, message: (thrown as ApiError).message };
    expect(res.body.error).toMatchObject({ code, message: viaApi.message });
    expect(viaApi.code).toBe(code);
    expect(res.status).toBe((thrown as ApiError).status);
  });

  it('runs any operation by name through chat.api.call, with the same rules', async () => {
    const { message } = await t().server.api.call('sendMessage', alice, { conversationId, body: 'by name' });
    expect(message.senderId).toBe(alice);
    const page = await t().server.api.call('listMessages', bob, { conversationId });
    expect(page.messages.map((m) => m.body)).toContain('by name');
    await expect(t().server.api.call('markRead', bob, { conversationId, seq: -1 })).rejects.toMatchObject({ code: 'validation_failed' });
    // An operation open only to signed-in users is refused to the host's calls.
    await expect(
      t().server.api.call('authorizeChannel', alice, { socket_id: '1.2', channel_name: `private-user.${alice}` }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});
