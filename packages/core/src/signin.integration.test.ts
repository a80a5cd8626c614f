import { databaseTargets } from '@banter/server/testing';
import { describe, expect, it } from 'vitest';
import { useChatStack } from '../test/chat-stack';
import { until } from '../../server/test/kit/until';

// The client signs in (pusher:signin) as its Banter user when GET /config names a user-auth
// endpoint, so the server can close every connection of a banned user at once.
for (const target of databaseTargets()) {
  describe(`client sign-in with the real server and relay (${target.name})`, () => {
    const stack = useChatStack(target);

    it('signs in as its user; disconnectUser takes that user offline for good, others stay', async () => {
      const ann = await stack.connect('ann', { signedIn: true });
      const bob = await stack.connect('bob', { signedIn: true });
      expect(ann.pusher().user.user_data).toMatchObject({ id: ann.userId, user_info: { name: ann.userId } });
      expect(stack.relay().stats().connections).toBe(2);
      await stack.chat.broadcaster!.disconnectUser!(ann.userId);
      await until('ann offline', () => ann.client.connection.state === 'offline');
      // pusher-js does not reconnect after 4009.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(ann.client.connection.state).toBe('offline');
      expect(bob.client.connection.state).toBe('connected');
      expect(stack.relay().stats().connections).toBe(1);
    }, 30_000);
  });
}
