#!/usr/bin/env node
// `pnpm start`: build what is missing or stale, then run `banter serve --dev` (the demo on
// http://localhost:3000, or PORT). Extra arguments pass through: `pnpm start --port 4000`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Each package's build output that `banter serve` needs, and what it is built from.
const packages = [
  { dir: 'packages/core', output: 'dist/index.js' },
  { dir: 'packages/widget', output: 'dist/widget.js' },
  { dir: 'packages/server', output: 'dist/cli.js' },
];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function stale() {
  return packages.filter(({ dir, output }) => {
    const built = join(root, dir, output);
    if (!existsSync(built)) return true;
    const sources = Math.max(
      newestMtime(join(root, dir, 'src')),
      newestMtime(join(root, dir, 'package.json')),
      newestMtime(join(root, dir, 'tsup.config.ts')),
    );
    return sources > statSync(built).mtimeMs;
  });
}

const toBuild = stale();
if (toBuild.length > 0) {
  console.log(`Building (${toBuild.map((p) => p.dir).join(', ')} ${toBuild.length === 1 ? 'is' : 'are'} missing or older than the sources)...`);
  // One build of everything keeps it simple: the packages depend on each other's dist.
  const result = spawnSync('pnpm', ['build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.error || result.status !== 0) {
    console.error(result.error ? `Could not run pnpm build: ${result.error.message}` : 'pnpm build failed; see above.');
    process.exit(result.status || 1);
  }
}

// The user's own directory keeps the data: `.banter/` where `pnpm start` was run (the repo root).
const cwd = process.env.INIT_CWD || process.cwd();
const cli = join(root, 'packages/server/dist/cli.js');
const child = spawn(process.execPath, [cli, 'serve', '--dev', ...process.argv.slice(2)], { cwd, stdio: 'inherit' });

// Ctrl+C reaches the child directly (same terminal process group); forward what comes only to us.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal);
  });
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 1 : 0));
});
