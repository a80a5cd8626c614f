import type { PusherConfig } from './broadcaster';

const NAMES = [
  'PUSHER_APP_ID',
  'PUSHER_APP_KEY',
  'PUSHER_APP_SECRET',
  'PUSHER_HOST',
  'PUSHER_PORT',
  'PUSHER_SCHEME',
  'PUSHER_APP_CLUSTER',
] as const;

/**
 * Reads the Laravel-style PUSHER_* variables. None set: null, meaning "use the embedded relay".
 * Some set: every one needed must be there, or this throws naming what is missing.
 * PUSHER_HOST points at Soketi, Reverb or a relay; without it PUSHER_APP_CLUSTER selects hosted Pusher.
 *
 * @example
 * // PUSHER_APP_ID=1 PUSHER_APP_KEY=k PUSHER_APP_SECRET=s PUSHER_HOST=127.0.0.1 PUSHER_PORT=6001 PUSHER_SCHEME=http
 * broadcasterConfigFromEnv(process.env);
 * // -> { appId: '1', key: 'k', secret: 's', host: '127.0.0.1', port: 6001, useTLS: false }
 */
export function broadcasterConfigFromEnv(env: Record<string, string | undefined> = process.env): PusherConfig | null {
  const get = (name: (typeof NAMES)[number]) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  if (NAMES.every((name) => get(name) === undefined)) return null;

  const missing: string[] = (['PUSHER_APP_ID', 'PUSHER_APP_KEY', 'PUSHER_APP_SECRET'] as const).filter((n) => !get(n));
  if (!get('PUSHER_HOST') && !get('PUSHER_APP_CLUSTER')) missing.push('PUSHER_HOST or PUSHER_APP_CLUSTER');
  if (missing.length > 0) {
    throw new Error(
      `Incomplete Pusher configuration: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set. ` +
        'Set them all to use Pusher, Soketi or Reverb, or unset every PUSHER_* variable to use the embedded relay.',
    );
  }
  const config: PusherConfig = { appId: get('PUSHER_APP_ID')!, key: get('PUSHER_APP_KEY')!, secret: get('PUSHER_APP_SECRET')! };
  const host = get('PUSHER_HOST');
  if (host) config.host = host;
  const cluster = get('PUSHER_APP_CLUSTER');
  if (cluster) config.cluster = cluster;
  const port = get('PUSHER_PORT');
  if (port !== undefined) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`PUSHER_PORT must be a port number (1-65535), got "${port}"`);
    config.port = n;
  }
  const scheme = get('PUSHER_SCHEME')?.toLowerCase();
  if (scheme !== undefined && scheme !== 'https' && scheme !== 'http') {
    throw new Error(`PUSHER_SCHEME must be https or http, got "${scheme}"`);
  }
  config.useTLS = (scheme ?? 'https') === 'https';
  return config;
}
