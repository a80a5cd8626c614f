import { describe, expect, it } from 'vitest';
import { signChannel } from './channel-signature';

// Test vectors from Pusher's auth-signatures documentation (see /work/shared/PUSHER-PROTOCOL.md).
const app = { key: '278d425bdf160c739803', secret: '7ad3773142a6692b25b8' };

describe('signChannel', () => {
  it('signs a private channel over socket_id:channel', () => {
    expect(signChannel(app, '1234.1234', 'private-foobar')).toBe(
      '278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4',
    );
  });

  it('signs a presence channel over socket_id:channel:channel_data', () => {
    const channelData = JSON.stringify({ user_id: 10, user_info: { name: 'Mr. Pusher' } });
    expect(signChannel(app, '1234.1234', 'presence-foobar', channelData)).toBe(
      '278d425bdf160c739803:afaed3695da2ffd16931f457e338e6c9f2921fa133ce7dac49f529792be6304c',
    );
  });

  it('changes with the socket id', () => {
    expect(signChannel(app, '1234.1235', 'private-foobar')).not.toContain('58df8b0c');
  });
});
