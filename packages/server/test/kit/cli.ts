import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { runCli } from '../../src/cli/run';

/** What one `banter` run printed, line by line joined, and its exit code. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export interface CliFolder {
  /** The working folder of the runs (set once this file's beforeAll hooks started). */
  readonly cwd: string;
  /** Runs `banter argv…` in the folder with `env` as its whole environment. */
  cli(argv: string[], env?: Record<string, string>): Promise<CliRun>;
}

/**
 * Registers a test file's scratch folder for the `banter` CLI: made (named `prefix…`) before its
 * tests, removed after. `banterDir`: with an empty `.banter/` in it, where the CLI keeps its
 * embedded database by default. Call it before a beforeAll that needs `cwd`.
 *
 * @example
 * const folder = useCliFolder('banter-cli-webhooks-', { banterDir: true });
 * test('…', async () => expect((await folder.cli(['migrate'])).code).toBe(0));
 */
export function useCliFolder(prefix: string, options: { banterDir?: boolean } = {}): CliFolder {
  let cwd = '';
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), prefix));
    if (options.banterDir) await mkdir(join(cwd, '.banter'), { recursive: true });
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });
  return {
    get cwd() {
      return cwd;
    },
    async cli(argv, env = {}) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(argv, { env, cwd, stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
      return { code, out: out.join('\n'), err: err.join('\n') };
    },
  };
}
