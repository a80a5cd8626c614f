import Echo from 'laravel-echo';
import type Pusher from 'pusher-js';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Relay } from './types';
import { APP, pusherClient, startRelay, waitUntil } from '../../test/kit/relay';

let relay: Relay;
let port: number;
let pusher: Pusher | null = null;

beforeEach(async () => {
  ({ relay, port } = await startRelay());
});

afterEach(async () => {
  pusher?.disconnect();
  pusher = null;
  await relay.close();
});

it('Laravel Echo subscribes to a private channel and receives an event', async () => {
  pusher = pusherClient(port);
  const echo = new Echo({ broadcaster: 'pusher', key: APP.key, client: pusher });
  const received = waitUntil<unknown>('message.created through Echo', (done) => {
    // Echo prefixes `private-`; a leading dot opts out of its App\Events namespace.
    echo.private('user.ann').listen('.message.created', done);
  });
  await waitUntil('the subscription', (done) => {
    const check = () => (relay.stats().subscriptions === 1 ? done(undefined) : setTimeout(check, 5));
    check();
  });
  relay.publish('private-user.ann', 'message.created', { conversationId: 'c1', seq: 1 });
  expect(await received).toEqual({ conversationId: 'c1', seq: 1 });
});
