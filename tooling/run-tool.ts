import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root: every check runs there, as `pnpm lint` would. */
export const root = fileURLToPath(new URL('..', import.meta.url));

/** What a tool printed and how it ended. */
export interface ToolResult {
  status: number | null;
  output: string;
}

/**
 * Runs a tool installed in the root's node_modules/.bin and collects stdout and stderr together,
 * so a failing check shows the tool's own report.
 *
 * @example
 * const { status, output } = runTool('biome', ['lint', '.']);
 * expect(status, output).toBe(0);
 */
export function runTool(bin: string, args: string[], cwd: string = root): ToolResult {
  const result = spawnSync(`${root}node_modules/.bin/${bin}`, args, {
    cwd,
    encoding: 'utf8',
    // NO_COLOR keeps the report readable in a failure message.
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) return { status: null, output: `could not run ${bin}: ${result.error.message}` };
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * The same as runTool without blocking, so independent checks (one per package) run side by side.
 *
 * @example
 * const [a, b] = await Promise.all([runToolAsync('publint', [], 'packages/core'), runToolAsync('publint', [], 'packages/widget')]);
 */
export function runToolAsync(bin: string, args: string[], cwd: string = root): Promise<ToolResult> {
  return new Promise((resolve) => {
    const child = spawn(bin.startsWith('/') || bin === 'pnpm' ? bin : `${root}node_modules/.bin/${bin}`, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve({ status: null, output: `could not run ${bin}: ${error.message}` }));
    child.on('close', (status) => resolve({ status, output }));
  });
}
