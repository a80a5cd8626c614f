import { databaseTargets } from '@banter/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { until } from '../../server/test/kit/until';
import { startChatStack, type ChatStack } from '../test/chat-stack';
import { createChatClient } from '@banter/core';

// packages/core/README.md shows the code between `readme:start` and `readme:end`, as it is here
// (tooling/package-readmes.test.ts holds the two together), run against the real server and relay.
let stack: ChatStack;
beforeAll(async () => {
  stack = await startChatStack(databaseTargets()[0]!);
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

it('the README example opens a conversation, sends, and sees the message confirmed', async () => {
  await stack.chat.api.upsertUser({ id: 'bob', name: 'Bob' });
  const url = stack.url;
  const token = await stack.token(stack.userId('alice'));
  const lines: string[][] = [];
  const console = { log: (line: string[]) => lines.push(line) };
  // readme:start
  const client = createChatClient({ url, token }); // url: where the server's handler is mounted
  await client.ready;
  const conversation = await client.conversations.open({ with: 'bob' });
  client.store.subscribe(() => {
    const { messages } = client.store.getSnapshot().conversations[conversation.id]!;
    console.log(messages.map((m) => `${m.body} (${m.status})`));
  });
  client.messages.send(conversation.id, 'Hello Bob');
  // readme:end
  try {
    await until('the message to be confirmed', () => lines.at(-1)?.[0] === 'Hello Bob (sent)');
    expect(lines.some((line) => line[0] === 'Hello Bob (sending)')).toBe(true);
    const page = await stack.chat.api.listMessages('bob', conversation.id, {});
    expect(page!.messages.map((m) => m.body)).toEqual(['Hello Bob']);
  } finally {
    client.close();
  }
}, 60_000);
