#!/usr/bin/env node
// `pnpm start`: build what is missing or stale, then run `banter serve --dev` (the demo on
// http://localhost:3000, or PORT). Extra arguments pass through: `pnpm start --port 4000`.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './ensure-built.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
try {
  ensureBuilt();
} catch (error) {
  console.error(error.message);
  process.exit(1);
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
