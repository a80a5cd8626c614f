import { databaseTargets } from '@banter/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatStack, type ChatStack } from '../test/chat-stack';
import { createChatClient } from './client';
import { selectUnreadTotal } from './selectors';
import type { ChatClient } from './types';

// Issue 16: client.moderation (block, mute, report) against the real server; the store follows.
for (const target of databaseTargets()) {
  describe(`client.moderation with the real server (${target.name})`, () => {
    let stack: ChatStack;
    let alice: ChatClient;
    let bob: ChatClient;
    let [aliceId, bobId] = ['', ''];
    let direct = '';
    let group = '';

    beforeAll(async () => {
      stack = await startChatStack(target);
      [aliceId, bobId] = [stack.userId('cm-a'), stack.userId('cm-b')];
      const carol = stack.userId('cm-c');
      direct = (await stack.chat.api.createConversation({ createdBy: aliceId, participantIds: [bobId] })).conversation.id;
      group = (await stack.chat.api.createConversation({ createdBy: bobId, participantIds: [aliceId, carol], title: 'Team' })).conversation
        .id;
      await stack.chat.api.sendMessage({ conversationId: group, senderId: bobId, body: 'standup at ten' });
      alice = createChatClient({ url: stack.url, token: await stack.token(aliceId), realtime: false });
      bob = createChatClient({ url: stack.url, token: await stack.token(bobId), realtime: false });
      await Promise.all([alice.ready, bob.ready]);
      await Promise.all([alice.conversations.list(), bob.conversations.list()]);
    }, 120_000);
    afterAll(async () => {
      alice?.close();
      bob?.close();
      await stack?.close();
    });

    const conversation = (client: ChatClient, id: string) => client.store.getSnapshot().conversations[id]!.conversation;

    it('mutes and unmutes: the conversation reads muted and leaves the unread badge', async () => {
      expect(selectUnreadTotal(alice.store.getSnapshot())).toBe(1);
      await alice.moderation.mute(group);
      expect(conversation(alice, group).muted).toBe(true);
      expect(selectUnreadTotal(alice.store.getSnapshot())).toBe(0);
      expect((await alice.conversations.get(group)).muted).toBe(true);
      await alice.moderation.unmute(group);
      expect(conversation(alice, group).muted).toBe(false);
      expect(selectUnreadTotal(alice.store.getSnapshot())).toBe(1);
    });

    it('blocks: the direct conversation reads blocked on both sides, sending is refused; unblocking follows the server', async () => {
      await alice.moderation.block(bobId);
      expect(conversation(alice, direct).blocked).toBe(true);
      expect((await alice.moderation.blocks()).map((b) => b.userId)).toEqual([bobId]);
      expect((await bob.conversations.get(direct)).blocked).toBe(true);
      await expect(stack.chat.api.sendMessage({ conversationId: direct, senderId: bobId, body: 'hello?' })).rejects.toMatchObject({
        code: 'forbidden',
      });

      // Both blocked: lifting alice's block leaves bob's, and the store shows what the server says.
      await bob.moderation.block(aliceId);
      await alice.moderation.unblock(bobId);
      expect(conversation(alice, direct).blocked).toBe(true);
      await bob.moderation.unblock(aliceId);
      expect(conversation(bob, direct).blocked).toBe(false);
      expect(await alice.moderation.blocks()).toEqual([]);
    });

    it('reports a message once (a repeat is no error) and refuses bad input with a BanterError', async () => {
      const message = (await stack.chat.api.sendMessage({ conversationId: group, senderId: bobId, body: 'buy cheap watches' })).message;
      const report = await alice.moderation.report(group, message.id, 'spam');
      expect(report).toMatchObject({ conversationId: group, messageId: message.id, reporterId: aliceId, reason: 'spam' });
      expect((await alice.moderation.report(group, message.id, 'spam')).id).toBe(report.id);
      expect((await stack.chat.api.listReports({})).reports.map((r) => r.id)).toContain(report.id);

      await expect(alice.moderation.report(group, message.id, 'x'.repeat(5000))).rejects.toMatchObject({
        name: 'BanterError',
        status: 400,
      });
      await expect(alice.moderation.mute('not-a-conversation')).rejects.toMatchObject({ code: 'not_found' });
    });
  });
}
