import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureWidgetBuilt } from './support/server';

// The real `banter` bin (packages/server/dist/cli.js, as `pnpm start` runs it) in a child process:
// shebang, flags, env, the startup block, and a graceful SIGTERM. CI builds before testing; a
// checkout without a build gets one here.
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'packages/server/dist/cli.js');
let cwd: string;

/** Only what the CLI should see: no DATABASE_URL, PUSHER_* or BANTER_* from the outer environment. */
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir() };

beforeAll(async () => {
  ensureWidgetBuilt();
  if (!existsSync(cli)) execFileSync('pnpm', ['--filter', '@banter/server', 'build'], { cwd: root, stdio: 'inherit' });
  cwd = await mkdtemp(join(tmpdir(), 'banter-cli-e2e-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

function run(args: string[], extraEnv: Record<string, string> = {}) {
  const child = spawn(cli, args, { cwd, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (out += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

async function startedPort(process: { output(): string; exited: Promise<number | null> }): Promise<number> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const match = /Banter is running at http:\/\/localhost:(\d+)/.exec(process.output());
    if (match && process.output().includes('Press Ctrl+C')) return Number(match[1]);
    if (Date.now() > deadline) throw new Error(`no startup block:\n${process.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the banter bin', () => {
  let server: ChildProcess | undefined;
  afterAll(() => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
  });

  test('a wrong flag: one line naming it, exit code 2, no stack trace', async () => {
    const bad = run(['serve', '--port', 'eighty']);
    expect(await bad.exited).toBe(2);
    expect(bad.output().trim()).toBe('banter: --port must be a port number (0-65535), got "eighty"');
  });

  test('serve --dev with no env: embedded defaults, demo, dev tokens; SIGTERM stops it gracefully and restarts keep the data', async () => {
    const first = run(['serve', '--dev', '--port', '0']);
    server = first.child;
    const port = await startedPort(first);
    const text = first.output();
    expect(text).toContain('PGlite (embedded PostgreSQL) in ./.banter/db');
    expect(text).toContain('BANTER_SECRET generated for --dev');
    expect(text).toMatch(/Seeded\s+93 demo messages/);
    const key = /app key (\w+)/.exec(text)![1];

    // PGlite is one process's database: a second process on the same directory is refused.
    const beside = run(['migrate']);
    expect(await beside.exited).toBe(1);
    expect(beside.output()).toMatch(/in use by process \d+/);

    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    expect((await fetch(`${base}/widget.js`)).status).toBe(200);
    expect(await (await fetch(`${base}/`)).text()).toContain('/demo.js');
    const { token } = await (await fetch(`${base}/api/dev/token?user=alice`)).json();
    const list = await (await fetch(`${base}/api/conversations`, { headers: { authorization: `Bearer ${token}` } })).json();
    expect(list.conversations.length).toBe(3);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('Stopped.');
    expect(first.output()).not.toMatch(/\n\s+at /);

    // Same data directory: no new seed, the stored secret and relay key, the token still valid.
    const second = run(['serve', '--dev', '--port', '0']);
    server = second.child;
    const port2 = await startedPort(second);
    expect(second.output()).toContain('BANTER_SECRET loaded for --dev');
    expect(second.output()).toContain(`app key ${key}`);
    expect(second.output()).not.toContain('Seeded');
    const me = await fetch(`http://127.0.0.1:${port2}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  }, 180_000);
});
