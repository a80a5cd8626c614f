import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { root, runToolAsync } from './run-tool';

// Every published package (packages/react joins by being there), checked as npm would ship it.
const packages = readdirSync(join(root, 'packages')).filter((dir) => {
  const file = join(root, 'packages', dir, 'package.json');
  return existsSync(file) && !(JSON.parse(readFileSync(file, 'utf8')) as { private?: boolean }).private;
});

// Entries that are files, not modules with types: the widget's script-tag bundle and service worker.
const notModules: Record<string, string[]> = { widget: ['widget.js', 'banter-sw.js'] };

const packs = mkdtempSync(join(tmpdir(), 'banter-packs-'));
afterAll(() => rmSync(packs, { recursive: true, force: true }));

describe.concurrent.each(packages)('packages/%s', (dir) => {
  const cwd = join(root, 'packages', dir);

  it('passes publint --strict', async () => {
    const { status, output } = await runToolAsync('publint', ['--strict'], cwd);
    expect(status, output).toBe(0);
  });

  it('passes are-the-types-wrong (node16 and bundler resolution, ESM and CJS)', async () => {
    // pnpm pack writes workspace:* as real versions, as a publish would.
    const dest = join(packs, dir);
    const packed = await runToolAsync('pnpm', ['pack', '--pack-destination', dest], cwd);
    expect(packed.status, packed.output).toBe(0);
    const tarball = join(dest, readdirSync(dest)[0]!);
    const exclude = notModules[dir] ? ['--exclude-entrypoints', ...notModules[dir]] : [];
    // node10 cannot see subpath exports at all; hosts on it use the root entry's main/types.
    const { status, output } = await runToolAsync('attw', [tarball, '--profile', 'node16', '--format', 'ascii', ...exclude], cwd);
    expect(status, output).toBe(0);
  });
});
