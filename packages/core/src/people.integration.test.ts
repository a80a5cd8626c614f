import { databaseTargets } from '@banter/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatStack, type ChatStack } from '../test/chat-stack';
import { BanterError } from './errors';
import { createChatClient } from './client';
import type { ChatClient } from './types';

// Issue 21: client.users.search and a group's admin methods against the real server.
for (const target of databaseTargets()) {
  describe(`client.users and group editing with the real server (${target.name})`, () => {
    let stack: ChatStack;
    let admin: ChatClient;
    let member: ChatClient;
    const ids: Record<'admin' | 'member' | 'newcomer', string> = { admin: '', member: '', newcomer: '' };

    beforeAll(async () => {
      stack = await startChatStack(target);
      for (const key of Object.keys(ids) as Array<keyof typeof ids>) {
        ids[key] = stack.userId(`cp-${key}`);
        await stack.chat.api.upsertUser({ id: ids[key], name: `Cp ${key} ${ids.admin.slice(-8)}` });
      }
      admin = createChatClient({ url: stack.url, token: await stack.token(ids.admin), realtime: false });
      member = createChatClient({ url: stack.url, token: await stack.token(ids.member), realtime: false });
      await Promise.all([admin.ready, member.ready]);
    }, 60_000);
    afterAll(async () => {
      admin?.close();
      member?.close();
      await stack?.close();
    });

    it('finds people by name, and a search the server refuses is a BanterError', async () => {
      const { users } = await admin.users.search(ids.newcomer, { limit: 5 });
      expect(users).toEqual([{ id: ids.newcomer, name: expect.stringContaining('Cp newcomer'), avatarUrl: null }]);
      const error = await admin.users.search(' ').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BanterError);
      expect((error as BanterError).code).toBe('validation_failed');
    });

    it('renames a group, adds and removes people (admins only); leaving drops the conversation from the store', async () => {
      const group = await admin.conversations.create({ participantIds: [ids.member], title: 'Before' });
      expect((await admin.conversations.rename(group.id, 'After')).title).toBe('After');
      expect(admin.store.getSnapshot().conversations[group.id]!.conversation.title).toBe('After');
      const added = await admin.conversations.addParticipants(group.id, [ids.newcomer]);
      expect(added.participants.map((p) => p.user.id).sort()).toEqual([ids.admin, ids.member, ids.newcomer].sort());
      await admin.conversations.removeParticipant(group.id, ids.newcomer);
      expect(await stack.chat.api.getConversation(ids.newcomer, group.id)).toBeNull();
      // A member may not rename.
      await member.conversations.get(group.id);
      expect(((await member.conversations.rename(group.id, 'Mine').catch((e: unknown) => e)) as BanterError).code).toBe('forbidden');
      await member.conversations.removeParticipant(group.id, ids.member);
      expect(member.store.getSnapshot().conversations[group.id]).toBeUndefined();
      expect(member.store.getSnapshot().conversationOrder).not.toContain(group.id);
    });
  });
}
