// Build the packages when a build output is missing or older than its sources: `pnpm start` and the
// browser tests run the built packages (the bin, the script-tag widget), and a fresh clone has none.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Each package's build output, and what it is built from.
const packages = [
  { dir: 'packages/core', output: 'dist/index.js' },
  { dir: 'packages/widget', output: 'dist/widget.js' },
  { dir: 'packages/react', output: 'dist/index.js' },
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

/** Runs `pnpm build` if anything is missing or stale; throws when the build fails. */
export function ensureBuilt() {
  const toBuild = stale();
  if (toBuild.length === 0) return;
  console.log(
    `Building (${toBuild.map((p) => p.dir).join(', ')} ${toBuild.length === 1 ? 'is' : 'are'} missing or older than the sources)...`,
  );
  // One build of everything keeps it simple: the packages depend on each other's dist.
  const result = spawnSync('pnpm', ['build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.error || result.status !== 0) {
    throw new Error(result.error ? `Could not run pnpm build: ${result.error.message}` : 'pnpm build failed; see above.');
  }
}
