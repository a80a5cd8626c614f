import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// docs/getting-started.md §4 is examples/express/getting-started.ts, byte for byte, and that file
// runs as pasted into an Express 5 app (issue 21): clear errors for missing variables, no silent
// in-memory database, a token route that answers 401 rather than 500, the widget served.
const root = fileURLToPath(new URL('..', import.meta.url));
const exampleDir = join(root, 'examples/express');
const file = readFileSync(join(exampleDir, 'getting-started.ts'), 'utf8');
const tmp = mkdtempSync(join(tmpdir(), 'banter-getting-started-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** `tsx getting-started.ts` with only the given variables (and PATH). */
function start(env: Record<string, string>) {
  const child = spawn(join(exampleDir, 'node_modules/.bin/tsx'), ['getting-started.ts'], {
    cwd: exampleDir,
    env: { PATH: process.env.PATH, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('getting-started §4', () => {
  it('is the tested file, word for word', () => {
    const doc = readFileSync(join(root, 'docs/getting-started.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## 4.'), doc.indexOf('## 5.'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(file);
  });

  it('type-checks (tsc over examples/express, where the file lives)', async () => {
    const tsc = spawn(join(root, 'node_modules/.bin/tsc'), ['--noEmit', '-p', exampleDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    tsc.stdout!.on('data', (c) => (output += c));
    const code = await new Promise<number | null>((resolve) => tsc.once('exit', resolve));
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('refuses to start without BANTER_SECRET, then without a database, naming the variable', async () => {
    const noSecret = start({ PORT: String(await freePort()) });
    expect(await noSecret.exited).not.toBe(0);
    expect(noSecret.output()).toContain('BANTER_SECRET is not set');
    const noDatabase = start({ PORT: String(await freePort()), BANTER_SECRET: 'x'.repeat(32) });
    expect(await noDatabase.exited).not.toBe(0);
    expect(noDatabase.output()).toMatch(/BANTER_DATA_DIR is not set: set DATABASE_URL \(PostgreSQL\) or BANTER_DATA_DIR/);
  });

  it('runs: 401 before sign-in, a token after, the widget script, and a message through the API', async () => {
    const port = await freePort();
    const database: Record<string, string> = process.env.TEST_DATABASE_URL
      ? { DATABASE_URL: process.env.TEST_DATABASE_URL }
      : { BANTER_DATA_DIR: join(tmp, 'db') };
    const app = start({ PORT: String(port), BANTER_SECRET: randomUUID() + randomUUID(), ...database });
    const url = `http://localhost:${port}`;
    for (let i = 0; ; i++) {
      if (app.child.exitCode !== null) throw new Error(`exited:\n${app.output()}`);
      if (
        await fetch(`${url}/api/chat/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 600) throw new Error(`no answer:\n${app.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await fetch(`${url}/chat-token`)).status).toBe(401);
    const tokenOf = async (user: string) =>
      ((await (await fetch(`${url}/chat-token`, { headers: { cookie: `user=${user}` } })).json()) as { token: string }).token;
    const token = await tokenOf('ann');
    await tokenOf('bob');
    const widget = await fetch(`${url}/widget.js`);
    expect(widget.status).toBe(200);
    expect((await widget.text()).length).toBeGreaterThan(10_000);
    const call = (path: string, body: unknown) =>
      fetch(`${url}/api/chat${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const created = await call('/conversations', { participantIds: ['bob'] });
    expect(created.status).toBeLessThan(300);
    const { conversation } = (await created.json()) as { conversation: { id: string } };
    expect((await call(`/conversations/${conversation.id}/messages`, { clientId: randomUUID(), body: 'hi' })).status).toBe(201);
    process.kill(-app.child.pid!, 'SIGTERM');
    await app.exited;
  });
});
