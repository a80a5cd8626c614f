import { randomUUID } from 'node:crypto';
import { ERROR_STATUS } from '@banter/core/protocol';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

interface BadCase {
  name: string;
  method: string;
  path: (id: string) => string;
  body?: string;
  contentType?: string | null;
  code: keyof typeof ERROR_STATUS;
}

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const msgs = (id: string) => `/conversations/${id}/messages`;
const read = (id: string) => `/conversations/${id}/read`;
const json = (value: unknown) => JSON.stringify(value);
const uuid = randomUUID();

const cases: BadCase[] = [
  // POST /conversations
  { name: 'create: malformed JSON', method: 'POST', path: () => '/conversations', body: '{"participantIds": [', code: 'validation_failed' },
  {
    name: 'create: text/plain',
    method: 'POST',
    path: () => '/conversations',
    body: json({ participantIds: ['x'] }),
    contentType: 'text/plain',
    code: 'unsupported_media_type',
  },
  {
    name: 'create: no content type',
    method: 'POST',
    path: () => '/conversations',
    body: json({ participantIds: ['x'] }),
    contentType: null,
    code: 'unsupported_media_type',
  },
  {
    name: 'create: participantIds not an array',
    method: 'POST',
    path: () => '/conversations',
    body: json({ participantIds: 'x' }),
    code: 'validation_failed',
  },
  {
    name: 'create: no participants',
    method: 'POST',
    path: () => '/conversations',
    body: json({ participantIds: [] }),
    code: 'validation_failed',
  },
  {
    name: 'create: bad user id',
    method: 'POST',
    path: () => '/conversations',
    body: json({ participantIds: ['has space'] }),
    code: 'validation_failed',
  },
  {
    name: 'create: unknown field',
    method: 'POST',
    path: () => '/conversations',
    body: json({ participantIds: ['x'], admin: true }),
    code: 'validation_failed',
  },
  {
    name: 'create: title too long',
    method: 'POST',
    path: () => '/conversations',
    body: json({ participantIds: ['x'], title: 't'.repeat(201) }),
    code: 'validation_failed',
  },
  {
    name: 'create: title of spaces',
    method: 'POST',
    path: () => '/conversations',
    body: json({ participantIds: ['x'], title: '   ' }),
    code: 'validation_failed',
  },
  {
    name: 'create: 100 others',
    method: 'POST',
    path: () => '/conversations',
    body: json({ participantIds: Array.from({ length: 100 }, (_, i) => `u${i}`) }),
    code: 'validation_failed',
  },
  { name: 'create: an array body', method: 'POST', path: () => '/conversations', body: '[]', code: 'validation_failed' },
  { name: 'create: null body', method: 'POST', path: () => '/conversations', body: 'null', code: 'validation_failed' },
  { name: 'create: empty body', method: 'POST', path: () => '/conversations', body: '', code: 'validation_failed' },
  {
    name: 'create: body over 16 KiB',
    method: 'POST',
    path: () => '/conversations',
    body: json({ participantIds: ['x'], title: 'x'.repeat(17_000) }),
    code: 'payload_too_large',
  },
  // POST /conversations/:id/messages
  { name: 'send: malformed JSON', method: 'POST', path: msgs, body: '{"clientId"', code: 'validation_failed' },
  {
    name: 'send: text/plain',
    method: 'POST',
    path: msgs,
    body: json({ clientId: uuid, body: 'x' }),
    contentType: 'text/plain',
    code: 'unsupported_media_type',
  },
  {
    name: 'send: form body',
    method: 'POST',
    path: msgs,
    body: 'clientId=1&body=x',
    contentType: FORM_TYPE,
    code: 'unsupported_media_type',
  },
  { name: 'send: no clientId', method: 'POST', path: msgs, body: json({ body: 'x' }), code: 'validation_failed' },
  { name: 'send: clientId not a UUID', method: 'POST', path: msgs, body: json({ clientId: 'abc', body: 'x' }), code: 'validation_failed' },
  { name: 'send: body a number', method: 'POST', path: msgs, body: json({ clientId: uuid, body: 5 }), code: 'validation_failed' },
  { name: 'send: blank body', method: 'POST', path: msgs, body: json({ clientId: uuid, body: ' \n ' }), code: 'validation_failed' },
  {
    name: 'send: 4,001 characters',
    method: 'POST',
    path: msgs,
    body: json({ clientId: uuid, body: 'x'.repeat(4001) }),
    code: 'validation_failed',
  },
  {
    name: 'send: unknown field',
    method: 'POST',
    path: msgs,
    body: json({ clientId: uuid, body: 'x', senderId: 'other' }),
    code: 'validation_failed',
  },
  {
    name: 'send: body over 16 KiB',
    method: 'POST',
    path: msgs,
    body: json({ clientId: uuid, body: 'é'.repeat(9000) }),
    code: 'payload_too_large',
  },
  { name: 'send: invalid UTF-8', method: 'POST', path: msgs, body: '\uFFFF', code: 'validation_failed' },
  {
    name: 'send: non-UUID conversation',
    method: 'POST',
    path: () => msgs('42'),
    body: json({ clientId: uuid, body: 'x' }),
    code: 'not_found',
  },
  {
    name: 'send: unknown conversation',
    method: 'POST',
    path: () => msgs(randomUUID()),
    body: json({ clientId: uuid, body: 'x' }),
    code: 'not_found',
  },
  // POST /conversations/:id/read
  { name: 'read: negative seq', method: 'POST', path: read, body: json({ seq: -1 }), code: 'validation_failed' },
  { name: 'read: fractional seq', method: 'POST', path: read, body: json({ seq: 1.5 }), code: 'validation_failed' },
  { name: 'read: string seq', method: 'POST', path: read, body: json({ seq: '3' }), code: 'validation_failed' },
  { name: 'read: unknown field', method: 'POST', path: read, body: json({ upTo: 3 }), code: 'validation_failed' },
  { name: 'read: malformed JSON', method: 'POST', path: read, body: '{', code: 'validation_failed' },
  {
    name: 'read: text/plain with a body',
    method: 'POST',
    path: read,
    body: 'seq=1',
    contentType: 'text/plain',
    code: 'unsupported_media_type',
  },
  { name: 'read: unknown conversation', method: 'POST', path: () => read(randomUUID()), body: json({}), code: 'not_found' },
  // GET lists
  { name: 'list: limit 0', method: 'GET', path: () => '/conversations?limit=0', code: 'validation_failed' },
  { name: 'list: limit 101', method: 'GET', path: () => '/conversations?limit=101', code: 'validation_failed' },
  { name: 'list: limit abc', method: 'GET', path: () => '/conversations?limit=abc', code: 'validation_failed' },
  { name: 'list: unknown parameter', method: 'GET', path: () => '/conversations?sort=asc', code: 'validation_failed' },
  { name: 'list: forged cursor', method: 'GET', path: () => '/conversations?cursor=eyJ4IjoxfQ', code: 'validation_failed' },
  { name: 'history: negative before', method: 'GET', path: (id) => `${msgs(id)}?before=-1`, code: 'validation_failed' },
  { name: 'history: after abc', method: 'GET', path: (id) => `${msgs(id)}?after=abc`, code: 'validation_failed' },
  { name: 'history: limit 1000', method: 'GET', path: (id) => `${msgs(id)}?limit=1000`, code: 'validation_failed' },
  { name: 'history: unknown parameter', method: 'GET', path: (id) => `${msgs(id)}?since=3`, code: 'validation_failed' },
  { name: 'get: non-UUID id', method: 'GET', path: () => '/conversations/not-a-uuid', code: 'not_found' },
  { name: 'get: unknown id', method: 'GET', path: () => `/conversations/${randomUUID()}`, code: 'not_found' },
  // POST /realtime/auth
  {
    name: 'auth: bad socket_id',
    method: 'POST',
    path: () => '/realtime/auth',
    body: 'socket_id=abc&channel_name=private-user.x',
    contentType: FORM_TYPE,
    code: 'validation_failed',
  },
  {
    name: 'auth: no channel_name',
    method: 'POST',
    path: () => '/realtime/auth',
    body: 'socket_id=1.2',
    contentType: FORM_TYPE,
    code: 'validation_failed',
  },
  {
    name: 'auth: text/plain',
    method: 'POST',
    path: () => '/realtime/auth',
    body: 'socket_id=1.2',
    contentType: 'text/plain',
    code: 'unsupported_media_type',
  },
  {
    name: 'auth: unknown channel kind',
    method: 'POST',
    path: () => '/realtime/auth',
    body: 'socket_id=1.2&channel_name=private-foo',
    contentType: FORM_TYPE,
    code: 'forbidden',
  },
  // Routing
  { name: 'unknown route', method: 'GET', path: () => '/nope', code: 'not_found' },
  { name: 'unknown nested route', method: 'GET', path: (id) => `/conversations/${id}/members`, code: 'not_found' },
  { name: 'wrong method on /me', method: 'DELETE', path: () => '/me', code: 'method_not_allowed' },
  { name: 'wrong method on a message list', method: 'PUT', path: msgs, body: '{}', code: 'method_not_allowed' },
];

describeEachDatabase('bad input', (target) => {
  const t = useTestServer(target);
  let token: string;
  let conversationId: string;

  beforeAll(async () => {
    const [a, b] = [t().userId('bad-a'), t().userId('bad-b')];
    token = await t().token(a);
    conversationId = (await t().server.api.createConversation({ createdBy: a, participantIds: [b] })).conversation.id;
    await t().call('GET', '/me', { token }); // the caller's row exists before the table runs
  });

  it.each(cases)('$name -> $code, nothing written', async ({ method, path, body, contentType, code }) => {
    const before = await t().counts();
    const headers: Record<string, string> = {};
    const type = contentType === undefined ? (body !== undefined ? JSON_TYPE : null) : contentType;
    if (type) headers['content-type'] = type;
    const raw = body === '\uFFFF' ? undefined : body;
    const res =
      body === '\uFFFF'
        ? await invalidUtf8(t().server.handler, path(conversationId), token)
        : await t().call(method, path(conversationId), { token, rawBody: raw, headers });
    expect(res.status).toBe(ERROR_STATUS[code]);
    expect(res.body).toMatchObject({ error: { code, message: expect.any(String) } });
    if (code === 'method_not_allowed') expect(res.headers.get('allow')).toMatch(/GET|POST/);
    expect(await t().counts()).toEqual(before);
  });
});

async function invalidUtf8(handler: (r: Request) => Promise<Response>, path: string, token: string) {
  const response = await handler(
    new Request(`http://localhost${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': JSON_TYPE },
      body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
    }),
  );
  return { status: response.status, body: await response.json(), headers: response.headers };
}
