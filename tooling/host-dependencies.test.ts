import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { root } from './run-tool';

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** Where Node would find `name` from `fromDir`: the nearest node_modules/<name> up the tree. */
function locate(name: string, fromDir: string): string | null {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return dirname(realpathSync(candidate));
    if (dirname(dir) === dir) return null;
  }
}

/** Every package an install of `dir`'s package brings along (dependencies and required peers). */
function installedWith(dir: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const visit = (pkgDir: string, via: string[]) => {
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as Manifest;
    const required = Object.keys(manifest.peerDependencies ?? {}).filter((name) => !manifest.peerDependenciesMeta?.[name]?.optional);
    for (const name of [...Object.keys(manifest.dependencies ?? {}), ...required]) {
      if (found.has(name)) continue;
      found.set(name, [...via, name]);
      const next = locate(name, pkgDir);
      if (next) visit(next, [...via, name]);
    }
  };
  visit(dir, [JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name]);
  return found;
}

// A host that mounts @banter/server on its own PostgreSQL installs none of these (docs/design.md,
// "Packages a host can take"); `banter serve` and the demo ask for them as optional peers, S3
// storage for the AWS SDK, thumbnails for sharp.
const NOT_FOR_HOSTS = [
  '@banter/widget',
  'preact',
  'pusher-js',
  '@electric-sql/pglite',
  'sharp',
  '@aws-sdk/client-s3',
  '@aws-sdk/s3-request-presigner',
];

it('@banter/server brings no widget, preact, pusher-js, PGlite, sharp or AWS SDK', () => {
  const installed = installedWith(join(root, 'packages/server'));
  const unwanted = NOT_FOR_HOSTS.filter((name) => installed.has(name)).map((name) => installed.get(name)!.join(' -> '));
  expect(unwanted).toEqual([]);
  // The walk itself works: the server's real dependencies are found, through @banter/core too.
  expect(installed.has('kysely') && installed.has('zod') && installed.has('@banter/core')).toBe(true);
});

it('the widget still brings what it renders and connects with', () => {
  const installed = installedWith(join(root, 'packages/widget'));
  expect(['preact', 'pusher-js', '@banter/core'].filter((name) => !installed.has(name))).toEqual([]);
});

it('a host process without the optional peers loads every @banter/server entry; PGlite and S3 storage ask to be installed', () => {
  // The hooks make the peers unresolvable, as on a host that never installed them (the build is the published code).
  const args = [
    '--import',
    './tooling/fixtures/hide-peers.mjs',
    './tooling/fixtures/host-without-peers.mjs',
    join(root, 'packages/server/dist'),
  ];
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  expect(run.stdout.trim().split('\n'), run.stderr).toEqual([
    'loaded: index',
    'loaded: node',
    'loaded: fastify',
    'loaded: next',
    'loaded: relay',
    'refused: the embedded database (PGlite) needs @electric-sql/pglite, which is not installed: npm install @electric-sql/pglite, or use PostgreSQL (DATABASE_URL, createDatabase({ url }))',
    'refused: S3 file storage needs @aws-sdk/client-s3, which is not installed: npm install @aws-sdk/client-s3 @aws-sdk/s3-request-presigner, or use the local disk (BANTER_STORAGE=local, createLocalStorage)',
  ]);
});

it('without sharp, an image is stored as a plain file (no thumbnail) and the host is told once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'banter-no-sharp-'));
  try {
    const args = [
      '--import',
      './tooling/fixtures/hide-peers.mjs',
      './tooling/fixtures/uploads-without-sharp.mjs',
      join(root, 'packages/server/dist'),
      dir,
    ];
    const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, BANTER_HIDE_PEERS: 'sharp' } });
    expect(run.stdout.trim().split('\n'), run.stderr).toEqual([
      '200 image/png image: null',
      '200 image/png image: null',
      'warnings: ["making image thumbnails needs sharp, which is not installed: npm install sharp, until then images are stored without one"]',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
