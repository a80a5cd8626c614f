import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { startStandaloneServer, type StandaloneServer } from '../standalone/standalone-server';
import { CliError } from './cli-error';
import { lockPglite } from './pglite-lock';
import { databaseOptions, redactUrl, type ServeConfig } from './config';

export interface ServeIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  cwd: string;
  /** Resolves when the server should stop (default: SIGINT or SIGTERM). */
  stopSignal?: Promise<unknown>;
  /** Called once listening (tests learn the port). */
  onListening?: (server: StandaloneServer) => void;
}

/**
 * `banter serve`: start the standalone server from a resolved config, print the startup block,
 * and shut down gracefully on SIGINT/SIGTERM (a second signal exits at once).
 *
 * @example
 * const config = await resolveServeConfig({ dev: true }, process.env, process.cwd());
 * await serve(config, { stdout: console.log, stderr: console.error, cwd: process.cwd() });
 */
export async function serve(config: ServeConfig, io: ServeIo): Promise<number> {
  // Fail fast on a taken port, before the slow part (opening the database, seeding the demo).
  if (config.port !== 0) await probePort(config.port, config.host).catch((error) => Promise.reject(startupError(error, config)));
  if (config.database.kind === 'pglite') {
    // Creating an embedded database takes a while (initdb); say so rather than look stuck.
    if (!existsSync(join(config.database.dir, 'PG_VERSION'))) {
      io.stdout(`Creating the embedded database in ${config.database.dir} (first start only, a few seconds)...`);
    }
    await mkdir(config.database.dir, { recursive: true });
  }
  const release = config.database.kind === 'pglite' ? await lockPglite(config.database.dir) : async () => {};
  let server: StandaloneServer;
  try {
    server = await startStandaloneServer({
      port: config.port,
      host: config.host,
      database: databaseOptions(config.database),
      secret: config.secret,
      realtime: config.realtime,
      dev: config.dev,
      ...(config.corsOrigins ? { cors: { origins: config.corsOrigins } } : {}),
      ...(config.storage ? { storage: config.storage } : {}),
      onError: (error, context) => io.stderr(`[banter] ${context.requestId ?? ''} ${errorText(error)}`),
    });
  } catch (error) {
    await release();
    throw startupError(error, config);
  }
  for (const line of startupBlock(config, server, io.cwd)) io.stdout(line);
  io.onListening?.(server);

  const stop = io.stopSignal ?? processSignal(io);
  await stop;
  io.stdout('Shutting down: finishing requests, delivering queued events, closing connections...');
  await server.close();
  await release();
  io.stdout('Stopped.');
  return 0;
}

function probePort(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function processSignal(io: ServeIo): Promise<string> {
  return new Promise((resolve) => {
    let firstAt = 0;
    const onSignal = (signal: string) => {
      if (firstAt) {
        // A second Ctrl+C: the user does not want to wait. A copy within a second is the same
        // Ctrl+C arriving twice (the terminal's process group, plus a parent forwarding it).
        if (Date.now() - firstAt < 1000) return;
        io.stderr('Forced exit.');
        process.exit(1);
      }
      firstAt = Date.now();
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/** The one clear block a user reads at start: where it runs, where the data is, what is embedded. */
function startupBlock(config: ServeConfig, server: StandaloneServer, cwd: string): string[] {
  const show = (path: string) => {
    const rel = relative(cwd, path);
    return rel && !rel.startsWith('..') ? `./${rel}` : path;
  };
  const url = server.url;
  const lines = ['', `  Banter is running at ${url}`, ''];
  if (config.dev) lines.push(`  Demo       ${url}/  (Alice, Bob and Carol, side by side)`);
  lines.push(`  API        ${url}/api  (health ${url}/api/health)`);
  lines.push(`  Widget     ${url}/widget.js${server.widgetScript ? '' : '  (NOT BUILT: run pnpm build)'}`);
  lines.push(
    config.database.kind === 'pglite'
      ? `  Database   PGlite (embedded PostgreSQL) in ${show(config.database.dir)}`
      : `  Database   PostgreSQL ${redactUrl(config.database.url)}`,
  );
  if (config.realtime.kind === 'embedded') {
    lines.push(`  Realtime   embedded Pusher-protocol relay on this port (app key ${config.realtime.app.key})`);
  } else {
    const p = config.realtime.config;
    const where = p.host
      ? `${p.useTLS === false ? 'http' : 'https'}://${p.host}${p.port ? `:${p.port}` : ''}`
      : `Pusher cluster ${p.cluster}`;
    lines.push(`  Realtime   Pusher protocol at ${where} (app ${p.appId})`);
  }
  const secret =
    config.secretSource === 'env'
      ? 'BANTER_SECRET from the environment'
      : `BANTER_SECRET ${config.secretSource === 'generated' ? 'generated' : 'loaded'} for --dev`;
  lines.push(
    `  Data       ${show(config.dataDir)}  (${[config.database.kind === 'pglite' ? 'database' : null, 'credentials.json'].filter(Boolean).join(', ')}; ${secret})`,
  );
  if (config.dev) {
    lines.push(`  Dev mode   GET /api/dev/token?user=ID gives anyone a token for any user; CORS open. Never in production.`);
    if (server.seeded > 0) lines.push(`  Seeded     ${server.seeded} demo messages`);
  }
  lines.push('', '  Press Ctrl+C to stop.', '');
  return lines;
}

function startupError(error: unknown, config: ServeConfig): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new CliError(`port ${config.port} is already in use on ${config.host}; pick another with --port (or PORT)`, 1);
  if (code === 'EACCES') return new CliError(`not allowed to listen on ${config.host}:${config.port}; use a port above 1023`, 1);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new CliError(`cannot bind to --host ${config.host}: no such address on this machine`, 1);
  const where =
    config.database.kind === 'postgres' ? `PostgreSQL at ${redactUrl(config.database.url)}` : `PGlite in ${config.database.dir}`;
  return new CliError(`unable to start with ${where}: ${errorText(error)}`, 1);
}

export function errorText(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length) return errorText(error.errors[0]);
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return (message || (error as NodeJS.ErrnoException).code || 'unknown error') + (message.includes(cause.slice(2)) ? '' : cause);
}
