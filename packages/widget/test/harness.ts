import { createChatClient, type ChatClient, type Message } from '@banter/core';
import { FakeApi } from './fake-api';
import { FakeRealtime } from './fake-pusher';

export interface Harness {
  api: FakeApi;
  realtime: FakeRealtime;
  client: ChatClient;
  /** Stores a message from `senderId` and delivers `message.created` to me, as the server would. */
  receive(conversationId: string, senderId: string, body: string): Message;
  /** Moves `userId`'s read cursor and tells me (`conversation.read`). */
  readBy(conversationId: string, userId: string, seq: number): void;
  /** Someone types in the (active) conversation. */
  typingBy(conversationId: string, userId: string): void;
}

/**
 * A real @banter/core client against the in-memory API and the fake pusher-js. `me` is "me";
 * add users and conversations on `api` before calling, or after (then list again).
 */
export function createHarness(setup: (api: FakeApi) => void = () => {}): Harness {
  const api = new FakeApi('me');
  api.addUser('me', 'Me Myself');
  setup(api);
  const realtime = new FakeRealtime();
  const client = createChatClient({
    url: 'http://chat.test/api',
    token: 'test-token',
    fetch: api.fetch,
    realtime: { Pusher: realtime.Pusher, config: { key: 'test', wsHost: 'chat.test' } },
  });
  return {
    api,
    realtime,
    client,
    receive(conversationId, senderId, body) {
      const message = api.post(conversationId, senderId, body);
      realtime.emit('private-user.me', 'message.created', { conversationId, seq: message.seq, message });
      return message;
    },
    readBy(conversationId, userId, seq) {
      api.read(conversationId, userId, seq);
      realtime.emit('private-user.me', 'conversation.read', { conversationId, userId, lastReadSeq: seq });
    },
    typingBy(conversationId, userId) {
      realtime.emit(`presence-conversation.${conversationId}`, 'client-typing', { userId }, { user_id: userId });
    },
  };
}
