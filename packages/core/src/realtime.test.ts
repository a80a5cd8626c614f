import { describe, expect, it } from 'vitest';
import type { RealtimeConfig } from './protocol/schemas';
import { pusherOptions } from './realtime';

const config = (patch: Partial<RealtimeConfig> = {}): RealtimeConfig => ({
  key: 'k',
  cluster: 'banter',
  wsHost: null,
  wsPort: null,
  wssPort: null,
  forceTLS: false,
  authEndpoint: 'realtime/auth',
  ...patch,
});
const noAuth = async () => ({ auth: 'k:sig' });

describe('pusherOptions', () => {
  it('wsHost null: the API URL host and port, TLS from its scheme, ws transports only', () => {
    expect(pusherOptions('https://chat.example:8443/api', config(), noAuth)).toMatchObject({
      wsHost: 'chat.example',
      wsPort: 8443,
      wssPort: 8443,
      forceTLS: true,
      enabledTransports: ['ws', 'wss'],
      channelAuthorization: { endpoint: 'https://chat.example:8443/api/realtime/auth' },
    });
    expect(pusherOptions('http://127.0.0.1:3000/api/', config(), noAuth)).toMatchObject({
      wsHost: '127.0.0.1',
      wsPort: 3000,
      forceTLS: false,
      channelAuthorization: { endpoint: 'http://127.0.0.1:3000/api/realtime/auth' },
    });
    expect(pusherOptions('https://chat.example/api', config(), noAuth)).toMatchObject({ wsPort: 443, wssPort: 443 });
  });

  it('a configured wsHost (Pusher, Soketi, Reverb) is used as given', () => {
    expect(
      pusherOptions('https://app.example/api', config({ wsHost: 'ws.example', wsPort: 6001, wssPort: 6002, forceTLS: true }), noAuth),
    ).toMatchObject({ wsHost: 'ws.example', wsPort: 6001, wssPort: 6002, forceTLS: true, cluster: 'banter' });
  });

  it('authorizes channels through the client HTTP layer and reports failures to pusher-js', async () => {
    const calls: string[] = [];
    const options = pusherOptions('https://app.example/api', config(), async (socketId, channel) => {
      calls.push(`${socketId} ${channel}`);
      if (channel.startsWith('presence-')) throw new Error('forbidden');
      return { auth: 'k:sig' };
    }) as { channelAuthorization: { customHandler(p: object, cb: (e: Error | null, d: unknown) => void): void } };
    const run = (channelName: string) =>
      new Promise<[Error | null, unknown]>((resolve) =>
        options.channelAuthorization.customHandler({ socketId: '1.2', channelName }, (e, d) => resolve([e, d])),
      );
    expect(await run('private-user.me')).toEqual([null, { auth: 'k:sig' }]);
    const [error, data] = await run('presence-conversation.x');
    expect(error?.message).toContain('forbidden');
    expect(data).toBeNull();
    expect(calls).toEqual(['1.2 private-user.me', '1.2 presence-conversation.x']);
  });
});
