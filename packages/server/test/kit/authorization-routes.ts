import { randomUUID } from 'node:crypto';

// The authorization matrix's table (src/security/authorization-matrix.test.ts): every route, and
// the status each kind of caller gets. A new route gets its row here.
export type Caller =
  | 'no token'
  | 'malformed header'
  | 'malformed token'
  | 'expired'
  | 'other secret'
  | 'alg none'
  | 'HS512 same secret'
  | 'no exp'
  | 'bad sub'
  | 'token in query'
  | 'another user'
  | 'non-participant'
  | 'participant';

export const CALLERS: Caller[] = [
  'no token',
  'malformed header',
  'malformed token',
  'expired',
  'other secret',
  'alg none',
  'HS512 same secret',
  'no exp',
  'bad sub',
  'token in query',
  'another user',
  'non-participant',
  'participant',
];
export const FORGED = CALLERS.filter((c) => !['another user', 'non-participant', 'participant'].includes(c));

export interface RouteCase {
  route: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: (ids: Ids) => string;
  body?: (ids: Ids) => unknown;
  form?: (ids: Ids, caller: Caller) => string;
  /** Status for 'another user' (b: a participant too, but not a), 'non-participant' (a stranger), 'participant' (a). */
  signedIn: [number, number, number];
  /** Routes anyone may call: every caller gets this. */
  open?: number;
}

export interface Ids {
  a: string;
  b: string;
  stranger: string;
  id: string;
  /** A message of a in the conversation. */
  messageId: string;
  /** A group of a (its admin) and b (a member), and a user a adds to it and removes again. */
  group: string;
  newcomer: string;
}

export const routes: RouteCase[] = [
  { route: 'GET /me', method: 'GET', path: () => '/me', signedIn: [200, 200, 200] },
  { route: 'GET /conversations', method: 'GET', path: () => '/conversations', signedIn: [200, 200, 200] },
  {
    route: 'POST /conversations',
    method: 'POST',
    path: () => '/conversations',
    body: (ids) => ({ participantIds: [ids.a, ids.b, ids.stranger], title: 'g' }),
    signedIn: [201, 201, 201],
  },
  { route: 'GET /conversations/:id', method: 'GET', path: (ids) => `/conversations/${ids.id}`, signedIn: [200, 404, 200] },
  {
    route: 'GET /conversations/:id/messages',
    method: 'GET',
    path: (ids) => `/conversations/${ids.id}/messages`,
    signedIn: [200, 404, 200],
  },
  {
    route: 'POST /conversations/:id/messages',
    method: 'POST',
    path: (ids) => `/conversations/${ids.id}/messages`,
    body: () => ({ clientId: randomUUID(), body: 'hi' }),
    signedIn: [201, 404, 201],
  },
  {
    route: 'GET /conversations/:id/messages/:messageId/versions',
    method: 'GET',
    path: (ids) => `/conversations/${ids.id}/messages/${ids.messageId}/versions`,
    signedIn: [200, 404, 200],
  },
  {
    route: 'GET /conversations/:id/messages/:messageId/thread',
    method: 'GET',
    path: (ids) => `/conversations/${ids.id}/messages/${ids.messageId}/thread`,
    signedIn: [200, 404, 200],
  },
  {
    // A direct conversation: either participant may pin.
    route: 'PUT /conversations/:id/messages/:messageId/pin',
    method: 'PUT',
    path: (ids) => `/conversations/${ids.id}/messages/${ids.messageId}/pin`,
    signedIn: [200, 404, 200],
  },
  {
    route: 'DELETE /conversations/:id/messages/:messageId/pin',
    method: 'DELETE',
    path: (ids) => `/conversations/${ids.id}/messages/${ids.messageId}/pin`,
    signedIn: [200, 404, 200],
  },
  { route: 'GET /conversations/:id/pins', method: 'GET', path: (ids) => `/conversations/${ids.id}/pins`, signedIn: [200, 404, 200] },
  {
    route: 'PUT /conversations/:id/messages/:messageId/reactions/:emoji',
    method: 'PUT',
    path: (ids) => `/conversations/${ids.id}/messages/${ids.messageId}/reactions/${encodeURIComponent('👍')}`,
    signedIn: [200, 404, 200],
  },
  {
    route: 'DELETE /conversations/:id/messages/:messageId/reactions/:emoji',
    method: 'DELETE',
    path: (ids) => `/conversations/${ids.id}/messages/${ids.messageId}/reactions/${encodeURIComponent('👍')}`,
    signedIn: [200, 404, 200],
  },
  {
    // b is a participant but not the author: 403; a edits their own message.
    route: 'PATCH /conversations/:id/messages/:messageId',
    method: 'PATCH',
    path: (ids) => `/conversations/${ids.id}/messages/${ids.messageId}`,
    body: () => ({ body: `edited ${randomUUID()}` }),
    signedIn: [403, 404, 200],
  },
  {
    // After the PATCH rows (the table runs in order): a deleted message cannot be edited.
    route: 'DELETE /conversations/:id/messages/:messageId',
    method: 'DELETE',
    path: (ids) => `/conversations/${ids.id}/messages/${ids.messageId}`,
    signedIn: [403, 404, 200],
  },
  {
    // Roles: b is a member of the group (403), a its admin.
    route: 'PATCH /conversations/:id',
    method: 'PATCH',
    path: (ids) => `/conversations/${ids.group}`,
    body: () => ({ title: `renamed ${randomUUID()}` }),
    signedIn: [403, 404, 200],
  },
  {
    route: 'POST /conversations/:id/participants',
    method: 'POST',
    path: (ids) => `/conversations/${ids.group}/participants`,
    body: (ids) => ({ userIds: [ids.newcomer] }),
    signedIn: [403, 404, 200],
  },
  {
    route: 'DELETE /conversations/:id/participants/:userId',
    method: 'DELETE',
    path: (ids) => `/conversations/${ids.group}/participants/${ids.newcomer}`,
    signedIn: [403, 404, 200],
  },
  {
    route: 'POST /conversations/:id/uploads',
    method: 'POST',
    path: (ids) => `/conversations/${ids.id}/uploads`,
    body: () => ({ name: 'a.txt', type: 'text/plain', size: 5 }),
    signedIn: [201, 404, 201],
  },
  {
    route: 'POST /conversations/:id/read',
    method: 'POST',
    path: (ids) => `/conversations/${ids.id}/read`,
    body: () => ({}),
    signedIn: [200, 404, 200],
  },
  {
    route: 'POST /realtime/auth (presence-conversation)',
    method: 'POST',
    path: () => '/realtime/auth',
    form: (ids) => `socket_id=1.2&channel_name=presence-conversation.${ids.id}`,
    signedIn: [200, 403, 200],
  },
  {
    route: "POST /realtime/auth (a's private-user)",
    method: 'POST',
    path: () => '/realtime/auth',
    form: (ids) => `socket_id=1.2&channel_name=private-user.${ids.a}`,
    // 'participant' is a: their own channel; b and the stranger are refused it.
    signedIn: [403, 403, 200],
  },
  { route: 'GET /search', method: 'GET', path: () => '/search?q=edit', signedIn: [200, 200, 200] },
  {
    // Searching one conversation: a stranger gets 404, as on the conversation's own routes.
    route: 'GET /search?conversationId',
    method: 'GET',
    path: (ids) => `/search?q=edit&conversationId=${ids.id}`,
    signedIn: [200, 404, 200],
  },
  // People search (issue 21): anyone signed in; never anyone who is not (the FORGED callers get 401).
  { route: 'GET /users', method: 'GET', path: () => '/users?q=am', signedIn: [200, 200, 200] },
  {
    route: 'POST /realtime/user-auth (signs in as oneself only)',
    method: 'POST',
    path: () => '/realtime/user-auth',
    form: () => 'socket_id=1.2',
    signedIn: [200, 200, 200],
  },
  // Moderation (docs/moderation.md). Blocks name a fourth user, so the conversation stays open.
  { route: 'GET /me/blocks', method: 'GET', path: () => '/me/blocks', signedIn: [200, 200, 200] },
  { route: 'PUT /me/blocks/:userId', method: 'PUT', path: (ids) => `/me/blocks/${ids.stranger}-blocked`, signedIn: [200, 200, 200] },
  { route: 'DELETE /me/blocks/:userId', method: 'DELETE', path: (ids) => `/me/blocks/${ids.stranger}-blocked`, signedIn: [200, 200, 200] },
  { route: 'PUT /conversations/:id/mute', method: 'PUT', path: (ids) => `/conversations/${ids.id}/mute`, signedIn: [200, 404, 200] },
  {
    route: 'DELETE /conversations/:id/mute',
    method: 'DELETE',
    path: (ids) => `/conversations/${ids.id}/mute`,
    signedIn: [200, 404, 200],
  },
  {
    // b reports a's message; a cannot report their own (422).
    route: 'POST /conversations/:id/messages/:messageId/reports',
    method: 'POST',
    path: (ids) => `/conversations/${ids.id}/messages/${ids.messageId}/reports`,
    body: () => ({ reason: 'spam' }),
    signedIn: [201, 404, 422],
  },
  {
    // Only an admin (role admin) sets slow mode; in this direct conversation neither is one.
    route: 'PUT /conversations/:id/slow-mode',
    method: 'PUT',
    path: (ids) => `/conversations/${ids.id}/slow-mode`,
    body: () => ({ seconds: 0 }),
    signedIn: [403, 404, 403],
  },
  // Notifications (docs/notifications.md): each caller's own settings and subscriptions.
  { route: 'GET /me/notification-settings', method: 'GET', path: () => '/me/notification-settings', signedIn: [200, 200, 200] },
  {
    route: 'PUT /me/notification-settings',
    method: 'PUT',
    path: () => '/me/notification-settings',
    body: () => ({ delayMinutes: 15 }),
    signedIn: [200, 200, 200],
  },
  {
    route: 'POST /me/push-subscriptions',
    method: 'POST',
    path: () => '/me/push-subscriptions',
    body: (ids) => ({ endpoint: `https://fcm.googleapis.com/fcm/send/${ids.id}`, keys: { p256dh: 'BNcR', auth: 'tBHI' } }),
    signedIn: [201, 201, 201],
  },
  {
    route: 'DELETE /me/push-subscriptions/:subscriptionId',
    method: 'DELETE',
    path: () => `/me/push-subscriptions/${randomUUID()}`,
    signedIn: [200, 200, 200],
  },
  { route: 'GET /config', method: 'GET', path: () => '/config', signedIn: [200, 200, 200], open: 200 },
  { route: 'GET /health', method: 'GET', path: () => '/health', signedIn: [200, 200, 200], open: 200 },
  { route: 'GET /ready', method: 'GET', path: () => '/ready', signedIn: [200, 200, 200], open: 200 },
];

/** The expected results table: route x caller -> status. */
export function expected(route: RouteCase, caller: Caller): number {
  if (route.open !== undefined) return route.open;
  if (FORGED.includes(caller)) return 401;
  return route.signedIn[['another user', 'non-participant', 'participant'].indexOf(caller)]!;
}
