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
  /**
   * A call of the HTTP API with a bearer token, as another participant's app would make it: JSON
   * in and out, a 429 waited out as Retry-After says (a test's quick sends pass the send burst),
   * and any other status of 300 or more an error that quotes the response.
   */
  api(token: string, method: string, path: string, body?: unknown): Promise<any>;
  stop(): Promise<void>;
}

// Enough to wait out the send burst of a test that posts ~100 messages quickly.
const RETRIES_AFTER_429 = 60;

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
    async api(token, method, path, body) {
      for (let attempt = 0; ; attempt++) {
        const response = await fetch(`http://127.0.0.1:${server.port}/api${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (response.status === 429 && attempt < RETRIES_AFTER_429) {
          await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000));
          continue;
        }
        if (response.status >= 300) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
        return response.status === 204 ? undefined : response.json();
      }
    },
    async stop() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
