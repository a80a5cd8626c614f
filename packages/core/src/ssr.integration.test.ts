import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseTargets } from '@banter/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startChatStack, type ChatStack } from '../test/chat-stack';

const require = createRequire(import.meta.url);
const esbuild = createRequire(require.resolve('tsup'))('esbuild') as { build(options: object): Promise<unknown> };
// Inside the package, so the bundle's `import('pusher-js')` resolves to core's own pusher-js (its Node build).
const dir = fileURLToPath(new URL('../node_modules/.ssr-test/', import.meta.url));

/**
 * Runs in a plain Node process (no vitest, no DOM shim). Every browser global throws while the
 * package is imported, then they are gone (as in Node) while a client connects, sends and receives.
 */
const CHILD = `
const touched = [];
for (const name of ['window', 'document', 'navigator', 'localStorage', 'location', 'self']) {
  Object.defineProperty(globalThis, name, { configurable: true, get() { touched.push(name); throw new Error(name + ' touched at import'); } });
}
const core = await import('./core.mjs');
for (const name of ['window', 'document', 'navigator', 'localStorage', 'location', 'self']) delete globalThis[name];
const { url, token, peer } = JSON.parse(process.env.SSR_INPUT);
const client = core.createChatClient({ url, token });
await client.ready;
const conversation = await client.conversations.open({ with: peer });
const deadline = Date.now() + 15000;
while (client.connection.state !== 'connected' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
client.messages.send(conversation.id, 'hello from plain Node');
while (client.store.getSnapshot().conversations[conversation.id].messages[0]?.status !== 'sent' && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 20));
}
const state = client.store.getSnapshot();
console.log(JSON.stringify({ touched, connection: client.connection.state, messages: state.conversations[conversation.id].messages.map((m) => m.status), conversationId: conversation.id }));
client.close();
`;

let stack: ChatStack;
beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
    outfile: join(dir, 'core.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    external: ['pusher-js'],
    logLevel: 'silent',
  });
  writeFileSync(join(dir, 'child.mjs'), CHILD);
  // Not a storage test: one database is enough (the first target).
  stack = await startChatStack(databaseTargets()[0]!);
}, 60_000);
afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

// Issue 19: importing @banter/core during server rendering must never touch window/document.
it('imports @banter/core without touching browser globals and runs a client in plain Node', async () => {
  const alice = stack.userId('alice');
  const bob = stack.userId('bob');
  await stack.chat.api.upsertUser({ id: bob, name: 'Bob' });
  const input = JSON.stringify({ url: stack.url, token: await stack.token(alice), peer: bob });
  const out = await new Promise<string>((resolve, reject) =>
    execFile(
      process.execPath,
      [join(dir, 'child.mjs')],
      { env: { ...process.env, SSR_INPUT: input }, timeout: 30_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    ),
  );
  const result = JSON.parse(out.trim().split('\n').pop()!);
  expect(result).toMatchObject({ touched: [], connection: 'connected', messages: ['sent'] });
  const page = await stack.chat.api.listMessages(bob, result.conversationId, {});
  expect(page!.messages.map((m) => m.body)).toEqual(['hello from plain Node']);
}, 60_000);
