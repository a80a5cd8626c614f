import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  startStandaloneServer,
  type StandaloneServer,
  type StandaloneServerOptions,
} from '../../packages/server/src/standalone/standalone-server';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The browser tests load the real script-tag build; build it once if this checkout has none yet. */
export function ensureWidgetBuilt(): void {
  if (existsSync(join(root, 'packages/widget/dist/widget.js'))) return;
  execFileSync('pnpm', ['--filter', '@banter/widget', 'build'], { cwd: root, stdio: 'inherit' });
}

export interface E2eServer extends StandaloneServer {
  /** A dev token for a user (created with a friendly name). */
  token(userId: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * `banter serve --dev` in process, from the sources: 127.0.0.1, a free port, PGlite in a temp
 * directory that is removed afterwards.
 */
export async function startE2eServer(options: Partial<StandaloneServerOptions> = {}): Promise<E2eServer> {
  ensureWidgetBuilt();
  const dataDir = await mkdtemp(join(tmpdir(), 'banter-e2e-'));
  const server = await startStandaloneServer({
    port: 0,
    host: '127.0.0.1',
    database: { dataDir: join(dataDir, 'db') },
    secret: randomBytes(32).toString('hex'),
    realtime: { kind: 'embedded', app: { id: 'banter', key: randomBytes(8).toString('hex'), secret: randomBytes(16).toString('hex') } },
    dev: true,
    onError: (error) => console.error('[e2e server]', error),
    ...options,
  });
  return {
    ...server,
    close: server.close,
    url: `http://127.0.0.1:${server.port}`,
    async token(userId) {
      const response = await fetch(`http://127.0.0.1:${server.port}/api/dev/token?user=${encodeURIComponent(userId)}`);
      return ((await response.json()) as { token: string }).token;
    },
    async stop() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
