import { describe, expect, it } from 'vitest';
import { signChannelAuth, signUserAuth } from './sign-channel-auth';

// The test vectors of Pusher's auth-signatures documentation.
const app = { key: '278d425bdf160c739803', secret: '7ad3773142a6692b25b8' };

describe('signChannelAuth', () => {
  it('signs a private channel', () => {
    expect(signChannelAuth(app, '1234.1234', 'private-foobar')).toEqual({
      auth: '278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4',
    });
  });

  it('signs a presence channel over the exact channel_data string', () => {
    const channelData = '{"user_id":10,"user_info":{"name":"Mr. Pusher"}}';
    expect(signChannelAuth(app, '1234.1234', 'presence-foobar', channelData)).toEqual({
      auth: '278d425bdf160c739803:afaed3695da2ffd16931f457e338e6c9f2921fa133ce7dac49f529792be6304c',
      channel_data: channelData,
    });
    // An object is serialized once, and that serialization is what is signed and returned.
    expect(signChannelAuth(app, '1234.1234', 'presence-foobar', { user_id: 10, user_info: { name: 'Mr. Pusher' } })).toEqual(
      signChannelAuth(app, '1234.1234', 'presence-foobar', channelData),
    );
  });

  it('refuses a presence channel without channel_data', () => {
    expect(() => signChannelAuth(app, '1234.1234', 'presence-foobar')).toThrow(/channel_data/);
  });

  it('signs a user sign-in', () => {
    expect(signUserAuth(app, '1234.1234', '{"id":"12345"}')).toEqual({
      auth: '278d425bdf160c739803:4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba',
      user_data: '{"id":"12345"}',
    });
  });
});
