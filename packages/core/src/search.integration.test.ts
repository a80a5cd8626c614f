import { databaseTargets } from '@banter/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatStack, type ChatStack } from '../test/chat-stack';
import { createChatClient } from './client';
import type { ChatClient } from './types';

// Issue 16: client.search against the real server.
for (const target of databaseTargets()) {
  describe(`client.search with the real server (${target.name})`, () => {
    let stack: ChatStack;
    let client: ChatClient;
    let alice: string;
    let bob: string;
    let conversationId: string;

    beforeAll(async () => {
      stack = await startChatStack(target);
      [alice, bob] = [stack.userId('cs-a'), stack.userId('cs-b')];
      conversationId = (await stack.chat.api.createConversation({ createdBy: alice, participantIds: [bob] })).conversation.id;
      for (let i = 1; i <= 250; i++) {
        const body = i === 20 ? 'the capybara plan is approved' : `filler message ${i}`;
        await stack.chat.api.sendMessage({ conversationId, senderId: i % 2 ? alice : bob, body });
      }
      client = createChatClient({ url: stack.url, token: await stack.token(alice), realtime: false });
      await client.ready;
    }, 120_000);
    afterAll(async () => {
      client?.close();
      await stack?.close();
    });

    it('searches, pages with nextCursor, and refuses bad input with a BanterError', async () => {
      const { results, nextCursor } = await client.search('capybara');
      expect(nextCursor).toBeNull();
      expect(results).toHaveLength(1);
      const [hit] = results;
      expect(hit!.message).toMatchObject({ conversationId, seq: 20, body: 'the capybara plan is approved' });
      expect(hit!.highlights.map(([s, e]) => hit!.snippet.slice(s, e))).toEqual(['capybara']);

      const first = await client.search('filler', { conversationId, limit: 100 });
      expect(first.results).toHaveLength(100);
      const second = await client.search('filler', { conversationId, limit: 100, cursor: first.nextCursor });
      const third = await client.search('filler', { conversationId, limit: 100, cursor: second.nextCursor });
      expect(third.nextCursor).toBeNull();
      const ids = [...first.results, ...second.results, ...third.results].map((r) => r.message.id);
      expect(new Set(ids).size).toBe(249);

      await expect(client.search('   ')).rejects.toMatchObject({ name: 'BanterError', code: 'validation_failed', status: 400 });
      await expect(client.search('x', { cursor: 'forged' })).rejects.toMatchObject({ code: 'validation_failed' });
    });
  });
}
