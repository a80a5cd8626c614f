import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type Pusher from 'pusher-js';
import { afterEach, describe, expect, it } from 'vitest';
import { signChannelAuth } from '../realtime/sign-channel-auth';
import { APP, nextEvent, pusherClient, RawClient, relaySdk, startRelay, subscribed } from '../../test/kit/relay';
import type { Relay } from './types';

// Regression, issue 18: a member stayed listed until the TCP connection ended, after the client's
// close frame; member_removed and the channel's user list lagged behind disconnect().

let relay: Relay | null = null;
const opened: Array<{ close(): void }> = [];

afterEach(async () => {
  for (const c of opened.splice(0)) c.close();
  await relay?.close();
  relay = null;
});

/** A client frame (masked, as RFC 6455 requires of clients). */
function frame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  const length =
    payload.length < 126 ? Buffer.from([0x80 | payload.length]) : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([Buffer.from([0x80 | opcode]), length, mask, masked]);
}

/** A hand-made WebSocket client that can send a close frame and then keep its TCP connection open. */
async function halfCloser(port: number): Promise<{ socket: Socket; socketId: string; send(v: unknown): void; closeFrame(): void }> {
  // allowHalfOpen: the relay's FIN must not end our side; that is the TCP end the relay must not wait for.
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  opened.push({ close: () => socket.destroy() });
  socket.write(
    `GET /app/${APP.key}?protocol=7 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let text = '';
  const socketId = await new Promise<string>((resolve, reject) => {
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      const m = /socket_id\\":\\"(\d+\.\d+)/.exec(text);
      if (m) resolve(m[1]!);
    });
    socket.on('error', reject);
  });
  return {
    socket,
    socketId,
    send: (v) => socket.write(frame(0x1, Buffer.from(JSON.stringify(v)))),
    closeFrame: () => socket.write(frame(0x8, Buffer.from([0x03, 0xe8]))),
  };
}

describe('relay: presence on close', () => {
  it('sends member_removed when the close frame arrives, while the TCP connection is still open', async () => {
    const started = await startRelay();
    relay = started.relay;
    const channel = 'presence-room';
    const watcher = await RawClient.open(started.port);
    opened.push(watcher);
    const watcherId = (await watcher.next('pusher:connection_established')).data.socket_id as string;
    const w = signChannelAuth(APP, watcherId, channel, { user_id: 'watcher' });
    watcher.send({ event: 'pusher:subscribe', data: { channel, ...w } });
    await watcher.next('pusher_internal:subscription_succeeded');

    const leaver = await halfCloser(started.port);
    const l = signChannelAuth(APP, leaver.socketId, channel, { user_id: 'leaver' });
    leaver.send({ event: 'pusher:subscribe', data: { channel, ...l } });
    expect((await watcher.next('pusher_internal:member_added')).data.user_id).toBe('leaver');

    leaver.closeFrame();
    // ws would wait up to 30 s for this TCP connection to end; the member must not.
    expect((await watcher.next('pusher_internal:member_removed', 1000)).data.user_id).toBe('leaver');
    expect(leaver.socket.destroyed).toBe(false);
    expect(relay.stats()).toMatchObject({ subscriptions: 1, connections: 1 });
  });

  it('pusher-js disconnect(): the other pusher-js member hears member_removed, and the SDK no longer lists the leaver then', async () => {
    const started = await startRelay();
    relay = started.relay;
    const channel = 'presence-lobby';
    const clients: Pusher[] = [];
    opened.push({
      close: () => {
        for (const c of clients) c.disconnect();
      },
    });
    const stayer = pusherClient(started.port, { user: { user_id: 'stayer' } });
    const leaver = pusherClient(started.port, { user: { user_id: 'leaver' } });
    clients.push(stayer, leaver);
    const watched = await subscribed(stayer, channel);
    const added = nextEvent<{ id: string }>(watched, 'pusher:member_added');
    await subscribed(leaver, channel);
    expect((await added).id).toBe('leaver');

    const sdk = relaySdk(started.port);
    const users = async () => ((await (await sdk.get({ path: `/channels/${channel}/users` })).json()) as { users: { id: string }[] }).users;
    expect((await users()).map((u) => u.id).sort()).toEqual(['leaver', 'stayer']);
    const removed = nextEvent<{ id: string }>(watched, 'pusher:member_removed');
    leaver.disconnect();
    expect((await removed).id).toBe('leaver');
    expect(await users()).toEqual([{ id: 'stayer' }]);
  });
});
