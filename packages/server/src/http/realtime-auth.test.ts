import { createHmac, randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/kit/describe-each-database';
import { useTestServer } from '../../test/kit/test-server';

type Caller = 'owner' | 'participant' | 'other' | 'none';
type Channel =
  | 'own user'
  | "participant's user"
  | 'conversation'
  | 'unknown conversation'
  | 'non-uuid conversation'
  | 'public'
  | 'encrypted';

// owner = a (participant of the conversation too), participant = b, other = a stranger.
const matrix: Record<Channel, Record<Caller, number>> = {
  'own user': { owner: 200, participant: 403, other: 403, none: 401 },
  "participant's user": { owner: 403, participant: 200, other: 403, none: 401 },
  conversation: { owner: 200, participant: 200, other: 403, none: 401 },
  'unknown conversation': { owner: 403, participant: 403, other: 403, none: 401 },
  'non-uuid conversation': { owner: 403, participant: 403, other: 403, none: 401 },
  public: { owner: 403, participant: 403, other: 403, none: 401 },
  encrypted: { owner: 403, participant: 403, other: 403, none: 401 },
};

describeEachDatabase('POST /realtime/auth', (target) => {
  const t = useTestServer(target);
  let users: { a: string; b: string; stranger: string };
  let tokens: Record<Caller, string | undefined>;
  let channels: Record<Channel, string>;

  beforeAll(async () => {
    users = { a: t().userId('rt-a'), b: t().userId('rt-b'), stranger: t().userId('rt-x') };
    const { conversation } = await t().server.api.createConversation({ createdBy: users.a, participantIds: [users.b] });
    tokens = {
      owner: await t().token(users.a, { name: 'Ann', avatarUrl: 'https://img.example/ann.png' }),
      participant: await t().token(users.b),
      other: await t().token(users.stranger),
      none: undefined,
    };
    channels = {
      'own user': `private-user.${users.a}`,
      "participant's user": `private-user.${users.b}`,
      conversation: `presence-conversation.${conversation.id}`,
      'unknown conversation': `presence-conversation.${randomUUID()}`,
      'non-uuid conversation': 'presence-conversation.1',
      public: 'my-channel',
      encrypted: `private-encrypted-user.${users.a}`,
    };
  });

  const table = Object.entries(matrix).flatMap(([channel, row]) =>
    Object.entries(row).map(([caller, status]) => ({ channel: channel as Channel, caller: caller as Caller, status })),
  );

  it.each(table)('$channel channel as $caller -> $status', async ({ channel, caller, status }) => {
    const name = channels[channel];
    const res = await t().call('POST', '/realtime/auth', {
      token: tokens[caller],
      rawBody: new URLSearchParams({ socket_id: '1234.5678', channel_name: name }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(status);
    if (status !== 200) {
      expect(res.body.error.code).toBe(status === 401 ? 'unauthorized' : 'forbidden');
      return;
    }
    const { key, secret } = t().broadcaster.app;
    if (name.startsWith('presence-')) {
      const userId = caller === 'owner' ? users.a : users.b;
      expect(JSON.parse(res.body.channel_data)).toEqual({
        user_id: userId,
        user_info: caller === 'owner' ? { name: 'Ann', avatarUrl: 'https://img.example/ann.png' } : { name: null, avatarUrl: null },
      });
      const signature = createHmac('sha256', secret).update(`1234.5678:${name}:${res.body.channel_data}`).digest('hex');
      expect(res.body).toEqual({ auth: `${key}:${signature}`, channel_data: res.body.channel_data });
    } else {
      const signature = createHmac('sha256', secret).update(`1234.5678:${name}`).digest('hex');
      expect(res.body).toEqual({ auth: `${key}:${signature}` });
    }
  });
});
