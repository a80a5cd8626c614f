import { randomBytes } from 'node:crypto';
import type PusherServer from 'pusher';
import Pusher from 'pusher-js';
import { afterEach, describe, expect, it } from 'vitest';
import { signChannelAuth } from '../realtime/sign-channel-auth';
import { APP, nextEvent, RawClient, relaySdk, startRelay, subscribed } from '../../test/kit/relay';
import type { Relay } from './types';

// private-encrypted- channels end to end: the pusher SDK encrypts with a per-channel secret derived
// from encryptionMasterKeyBase64, pusher-js decrypts with the shared_secret of its authorization;
// the relay only ever carries {nonce, ciphertext}.

let relay: Relay | null = null;
let clients: Pusher[] = [];
let raws: RawClient[] = [];
const masterKey = randomBytes(32).toString('base64');
const CHANNEL = 'private-encrypted-room';

afterEach(async () => {
  for (const c of clients) c.disconnect();
  for (const r of raws) r.close();
  clients = [];
  raws = [];
  await relay?.close();
  relay = null;
});

async function start() {
  const started = await startRelay();
  relay = started.relay;
  const sdk = relaySdk(started.port, { encryptionMasterKeyBase64: masterKey });
  return { port: started.port, sdk };
}

/** pusher-js (Node build, tweetnacl included) authorized by the SDK, which adds shared_secret for encrypted channels. */
function client(port: number, signer: PusherServer): Pusher {
  const pusher = new Pusher(APP.key, {
    cluster: 'local',
    wsHost: '127.0.0.1',
    wsPort: port,
    forceTLS: false,
    enabledTransports: ['ws'],
    channelAuthorization: {
      endpoint: '/unused',
      transport: 'ajax',
      customHandler: ({ socketId, channelName }, callback) => callback(null, signer.authorizeChannel(socketId, channelName) as never),
    },
  });
  clients.push(pusher);
  return pusher;
}

describe('relay: encrypted channels', () => {
  it('delivers what the SDK encrypted; pusher-js decrypts it; the wire carries only nonce and ciphertext', async () => {
    const { port, sdk } = await start();
    const channel = await subscribed(client(port, sdk), CHANNEL);
    // A subscriber with a valid private signature but no shared secret: what the relay forwards.
    const raw = await RawClient.open(port);
    raws.push(raw);
    const socketId = (await raw.next('pusher:connection_established')).data.socket_id as string;
    raw.send({ event: 'pusher:subscribe', data: { channel: CHANNEL, ...signChannelAuth(APP, socketId, CHANNEL) } });
    await raw.next('pusher_internal:subscription_succeeded');

    const got = nextEvent(channel, 'secret');
    await sdk.trigger(CHANNEL, 'secret', { text: 'plain words' });
    expect(await got).toEqual({ text: 'plain words' });
    const wire = (await raw.next('secret')).data as Record<string, unknown>;
    expect(Object.keys(wire).sort()).toEqual(['ciphertext', 'nonce']);
    expect(JSON.stringify(wire)).not.toContain('plain words');
  });

  it('another master key cannot read it (the shared secret is per channel and key), and a bad signature is refused', async () => {
    const { port, sdk } = await start();
    const wrongKey = relaySdk(undefined, { encryptionMasterKeyBase64: randomBytes(32).toString('base64') });
    const eavesdropper = client(port, wrongKey);
    const channel = await subscribed(eavesdropper, CHANNEL);
    const failed = new Promise((resolve) =>
      eavesdropper.connection.bind('message', (m: { event: string }) => m.event === 'secret' && resolve(m)),
    );
    const decrypted: unknown[] = [];
    channel.bind('secret', (d: unknown) => decrypted.push(d));
    await sdk.trigger(CHANNEL, 'secret', { text: 'plain words' });
    await failed;
    await new Promise((r) => setTimeout(r, 50));
    expect(decrypted).toEqual([]);

    const forger = relaySdk(undefined, { secret: 'not-the-secret', encryptionMasterKeyBase64: masterKey });
    await expect(subscribed(client(port, forger), CHANNEL)).rejects.toThrow(/subscription to private-encrypted-room failed/);
  });
});
