import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningApp {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * `pnpm <script>` in an example's folder on a free port (PORT, HOST), in its own process group so
 * stop() ends all of it; resolves once `readyPath` answers below 500.
 */
export async function runApp(
  name: string,
  script: string,
  options: { env?: Record<string, string>; timeoutMs: number; readyPath?: string },
): Promise<RunningApp> {
  const port = await freePort();
  const tmp = mkdtempSync(join(tmpdir(), `banter-${name}-`));
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    BANTER_DATA_DIR: tmp,
    ...options.env,
  };
  // Vitest's NODE_ENV=test would make `next build` refuse; PUSHER_* would leave the embedded relay.
  for (const key of Object.keys(env)) if (key === 'NODE_ENV' || key.startsWith('VITEST') || key.startsWith('PUSHER_')) delete env[key];
  const child: ChildProcess = spawn('pnpm', [script], {
    cwd: join(examplesDir, name),
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  let alive = true;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => (alive = false));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    if (alive) {
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(tmp, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  try {
    for (;;) {
      if (!alive) throw new Error(`${name} (pnpm ${script}) exited before answering:\n${output}`);
      if (Date.now() - started > options.timeoutMs) throw new Error(`${name} did not answer within ${options.timeoutMs} ms:\n${output}`);
      const ok = await fetch(url + (options.readyPath ?? '/'), { redirect: 'manual', signal: AbortSignal.timeout(30_000) }).then(
        (res) => res.status < 500,
        () => false,
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  console.log(`[${name}] pnpm ${script} answered after ${Date.now() - started} ms`);
  return { url, output: () => output, stop };
}
