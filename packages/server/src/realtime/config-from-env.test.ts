import { describe, expect, it } from 'vitest';
import { broadcasterConfigFromEnv } from './config-from-env';
import { pusherBroadcaster } from './pusher-broadcaster';

const full = { PUSHER_APP_ID: '1', PUSHER_APP_KEY: 'key', PUSHER_APP_SECRET: 'secret' };

describe('broadcasterConfigFromEnv', () => {
  it('returns null when no PUSHER_* variable is set (embedded relay)', () => {
    expect(broadcasterConfigFromEnv({})).toBeNull();
    expect(broadcasterConfigFromEnv({ PUSHER_APP_KEY: '', PATH: '/bin' })).toBeNull();
  });

  it('reads a self-hosted service (Soketi, Reverb)', () => {
    expect(broadcasterConfigFromEnv({ ...full, PUSHER_HOST: 'soketi', PUSHER_PORT: '6001', PUSHER_SCHEME: 'http' })).toEqual({
      appId: '1',
      key: 'key',
      secret: 'secret',
      host: 'soketi',
      port: 6001,
      useTLS: false,
    });
  });

  it('reads hosted Pusher (cluster, TLS by default)', () => {
    expect(broadcasterConfigFromEnv({ ...full, PUSHER_APP_CLUSTER: 'eu' })).toEqual({
      appId: '1',
      key: 'key',
      secret: 'secret',
      cluster: 'eu',
      useTLS: true,
    });
  });

  it('names each missing variable of a partial configuration', () => {
    expect(() => broadcasterConfigFromEnv({ PUSHER_APP_KEY: 'key', PUSHER_HOST: 'h' })).toThrow(
      /PUSHER_APP_ID, PUSHER_APP_SECRET are not set/,
    );
    expect(() => broadcasterConfigFromEnv(full)).toThrow(/PUSHER_HOST or PUSHER_APP_CLUSTER is not set/);
  });

  it('refuses a bad port or scheme', () => {
    expect(() => broadcasterConfigFromEnv({ ...full, PUSHER_HOST: 'h', PUSHER_PORT: 'http' })).toThrow(/PUSHER_PORT/);
    expect(() => broadcasterConfigFromEnv({ ...full, PUSHER_HOST: 'h', PUSHER_SCHEME: 'wss' })).toThrow(/PUSHER_SCHEME/);
  });
});

describe('pusherBroadcaster clientConfig', () => {
  it('points clients at the self-hosted service, or at hosted Pusher for a cluster', () => {
    expect(pusherBroadcaster({ appId: '1', key: 'k', secret: 's', host: 'ws.example.com', port: 6001, useTLS: true }).clientConfig).toEqual(
      {
        key: 'k',
        cluster: 'mt1',
        wsHost: 'ws.example.com',
        wsPort: 6001,
        wssPort: 6001,
        forceTLS: true,
      },
    );
    expect(pusherBroadcaster({ appId: '1', key: 'k', secret: 's', cluster: 'eu' }).clientConfig).toEqual({
      key: 'k',
      cluster: 'eu',
      wsHost: 'ws-eu.pusher.com',
      wsPort: 80,
      wssPort: 443,
      forceTLS: true,
    });
    const split = pusherBroadcaster({
      appId: '1',
      key: 'k',
      secret: 's',
      host: 'soketi',
      port: 6001,
      useTLS: false,
      clientConfig: { wsHost: 'ws.example.com', wssPort: 443, forceTLS: true },
    });
    expect(split.clientConfig).toMatchObject({ wsHost: 'ws.example.com', wsPort: 6001, wssPort: 443, forceTLS: true });
  });
});
