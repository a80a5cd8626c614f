#!/usr/bin/env node
// `pnpm test:chaos [--full]`: the chaos run, longer than the bounded one `pnpm test` includes.
//   (default)  60 s, 16 clients;   --full  180 s, 24 clients.
// PostgreSQL when TEST_DATABASE_URL is set (else PGlite). CHAOS_SEED=<n> repeats a run.
// The PostgreSQL cluster restart runs only with --full and CHAOS_PG_RESTART=1: it cuts every
// other suite using the same cluster, so start it only when nothing else runs there.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const full = process.argv.includes('--full');
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const result = spawnSync('pnpm', ['exec', 'vitest', 'run', 'packages/core/test/chaos/'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CHAOS_MODE: full ? 'full' : 'long' },
});
process.exit(result.status ?? 1);
