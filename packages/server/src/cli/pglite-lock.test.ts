import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { CliError } from './cli-error';
import { lockPglite } from './pglite-lock';

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'banter-lock-')), 'db');
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

test('the first process takes the lock and releases it', async () => {
  const release = await lockPglite(dir);
  expect(await readFile(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
  await release();
  expect(existsSync(`${dir}.lock`)).toBe(false);
});

test('a lock held by another live process is refused with a one-line runtime error (exit 1)', async () => {
  // The parent of this test process is alive for as long as the test runs.
  await writeFile(`${dir}.lock`, String(process.ppid));
  const error = await lockPglite(dir).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CliError);
  expect((error as CliError).exitCode).toBe(1);
  expect((error as CliError).message).toContain(`in use by process ${process.ppid}`);
  expect(await readFile(`${dir}.lock`, 'utf8')).toBe(String(process.ppid));
});

test('a lock left by a dead process (crash, kill -9) is taken over', async () => {
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  await writeFile(`${dir}.lock`, gone);
  const release = await lockPglite(dir);
  expect(await readFile(`${dir}.lock`, 'utf8')).toBe(String(process.pid));
  await release();
});
