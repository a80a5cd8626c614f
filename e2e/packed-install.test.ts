import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// "Installing Banter today" in docs/getting-started.md, as written: pack the packages, install the
// tarballs into a fresh app outside the workspace, run its `banter` bin and fetch the widget.
const root = fileURLToPath(new URL('..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'banter-packed-'));
let child: ChildProcess | undefined;

afterAll(() => {
  if (child?.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('the packed tarballs', () => {
  it('install into a fresh app and run: banter serve answers, widget.js is there', { timeout: 300_000 }, async () => {
    const packs = join(tmp, 'packs');
    const app = join(tmp, 'app');
    const run = (cwd: string, args: string[]) => execFileSync('pnpm', args, { cwd, stdio: 'pipe', timeout: 240_000 }).toString();
    run(root, ['-r', '--filter', './packages/*', 'pack', '--pack-destination', packs]);
    const tgz = (name: string) => join(packs, `banter-${name}-0.1.0.tgz`);
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', private: true, type: 'module' }));
    // As the docs say: the tarballs point at each other by version, so overrides point them at the files.
    writeFileSync(
      join(app, 'pnpm-workspace.yaml'),
      `overrides:\n  '@banter/core': file:${tgz('core')}\n  '@banter/widget': file:${tgz('widget')}\n`,
    );
    // PGlite is an optional peer of @banter/server: the embedded database needs it installed too.
    const { peerDependencies } = JSON.parse(readFileSync(join(root, 'packages/server/package.json'), 'utf8'));
    const pglite = `@electric-sql/pglite@${peerDependencies['@electric-sql/pglite']}`;
    run(app, ['add', '--prefer-offline', tgz('core'), tgz('server'), tgz('widget'), pglite]);

    const port = await freePort();
    child = spawn(join(app, 'node_modules/.bin/banter'), ['serve', '--dev', '--port', String(port), '--data-dir', join(app, '.banter')], {
      cwd: app,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`banter serve exited:\n${output}`);
      if (
        await fetch(`${url}/api/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 900) throw new Error(`no answer:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const widget = await fetch(`${url}/widget.js`);
    expect(widget.status).toBe(200);
    expect((await widget.text()).length).toBeGreaterThan(10_000);
    process.kill(-child.pid!, 'SIGTERM');
  });
});
